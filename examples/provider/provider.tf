terraform {
  required_providers {
    hwcjobs = {
      source  = "hwcjobs/hwcjobs"
      version = "~> 0.1"
    }
  }
}

# With a Huawei Cloud account: the region and credentials usually come from
# the environment variables the official huaweicloud provider reads
# (HW_REGION_NAME, HW_ACCESS_KEY, HW_SECRET_KEY and, for temporary
# credentials, HW_SECURITY_TOKEN), so the block can stay almost empty.
provider "hwcjobs" {
  region = "cn-north-4"
}

# A private cloud (Huawei Cloud Stack) with an IAM token instead of AK/SK,
# its own domain suffix, one endpoint served elsewhere, and a gentler
# request rate.
variable "private_cloud_token" {
  type      = string
  sensitive = true
}

provider "hwcjobs" {
  alias = "private"

  region     = "region-1"
  project_id = "0123456789abcdef0123456789abcdef"
  auth_token = var.private_cloud_token
  cloud      = "cloud.example.com"
  endpoints = {
    ecs = "https://ecs-gateway.cloud.example.com/region-1"
  }

  max_retries         = 8
  request_timeout     = "1m"
  requests_per_second = 5
}

# The local emulator that `make demo` runs (bin/hwcjobs-emulator): every
# service under its own path prefix on one port, with the demo credentials.
provider "hwcjobs" {
  alias = "emulator"

  region     = "cn-north-4"
  access_key = "HWCJOBSDEMOACCESSKEY"
  secret_key = "hwcjobs-demo-secret-key-do-not-use"
  endpoints = {
    ecs       = "http://127.0.0.1:8080/ecs"
    elb       = "http://127.0.0.1:8080/elb"
    sdrs      = "http://127.0.0.1:8080/sdrs"
    sfs_turbo = "http://127.0.0.1:8080/sfs-turbo"
    evs       = "http://127.0.0.1:8080/evs"
    bms       = "http://127.0.0.1:8080/bms"
    cce       = "http://127.0.0.1:8080/cce"
    iam       = "http://127.0.0.1:8080/iam"
  }
}
