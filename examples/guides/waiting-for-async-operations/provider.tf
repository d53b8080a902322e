terraform {
  required_providers {
    hwcjobs = {
      source = "hwcjobs/hwcjobs"
    }
  }
}

# The region, credentials and, for the emulator, endpoints come from the
# HW_* environment variables.
provider "hwcjobs" {}
