// Command terraform-provider-hwcjobs is a Terraform provider that reads
// Huawei Cloud asynchronous jobs and waits for them to finish.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/provider"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// version is set at build time by goreleaser (-ldflags "-X main.version=...").
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "start the provider with support for debuggers like delve")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version, service.All()), providerserver.ServeOpts{
		Address: "registry.terraform.io/hwcjobs/hwcjobs",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
