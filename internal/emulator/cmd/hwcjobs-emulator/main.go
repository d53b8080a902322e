// Command hwcjobs-emulator runs the local Huawei Cloud job API emulator on
// loopback, for demos and manual testing of the hwcjobs provider.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/emulator"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "hwcjobs-emulator:", err)
		os.Exit(1)
	}
}

func run() error {
	addr := flag.String("addr", "127.0.0.1", "loopback address to listen on")
	port := flag.Int("port", 0, "port to listen on (0 = any free port)")
	speed := flag.Float64("speed", 1, "job clock speed (10 = jobs run ten times faster)")
	ttl := flag.Duration("ttl", 24*time.Hour, "how long finished timed jobs are kept, in job time")
	jobsFile := flag.String("jobs", "", "JSON file with a list of job specs to create at start")
	urlFile := flag.String("url-file", "", "write the base URL to this file once listening")
	verbose := flag.Bool("v", false, "log every request")
	useTLS := flag.Bool("tls", false, "serve HTTPS with a self-signed certificate made at start (clients need insecure = true, or the -cert-file)")
	certFile := flag.String("cert-file", "", "with -tls, write the certificate (PEM, no key) to this file")
	flag.Parse()
	if *certFile != "" && !*useTLS {
		return fmt.Errorf("-cert-file needs -tls")
	}

	opts := emulator.Options{Services: service.All(), TTL: *ttl}
	if *speed != 1 {
		opts.JobClock = emulator.NewScaledClock(*speed)
	}
	if *verbose {
		opts.Logf = log.Printf
	}
	srv := emulator.New(opts)

	if *jobsFile != "" {
		data, err := os.ReadFile(*jobsFile)
		if err != nil {
			return err
		}
		var specs []emulator.JobSpec
		if err := json.Unmarshal(data, &specs); err != nil {
			return fmt.Errorf("%s: %w", *jobsFile, err)
		}
		for _, spec := range specs {
			if _, err := srv.CreateJob(spec); err != nil {
				return fmt.Errorf("%s: %w", *jobsFile, err)
			}
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	listen := net.JoinHostPort(*addr, strconv.Itoa(*port))
	var (
		url  string
		done <-chan error
		err  error
	)
	if *useTLS {
		cert, cerr := emulator.SelfSignedCertificate()
		if cerr != nil {
			return cerr
		}
		if *certFile != "" {
			if err := os.WriteFile(*certFile, emulator.CertificatePEM(cert), 0o644); err != nil {
				return err
			}
		}
		url, done, err = srv.ListenAndServeTLS(ctx, listen, cert)
	} else {
		url, done, err = srv.ListenAndServe(ctx, listen)
	}
	if err != nil {
		return err
	}
	if *urlFile != "" {
		if err := os.WriteFile(*urlFile, []byte(url+"\n"), 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("hwcjobs emulator listening on %s\n", url)
	if *useTLS {
		fmt.Println("  self-signed certificate: set insecure = true (HW_INSECURE=true) in the provider, or trust the -cert-file")
		if *certFile != "" {
			fmt.Printf("  certificate (PEM) written to %s: HW_CACERT_FILE=%s\n", *certFile, *certFile)
		}
	}
	fmt.Printf("  HW_REGION_NAME=%s\n", emulator.DefaultRegion)
	fmt.Printf("  HW_ACCESS_KEY=%s\n", emulator.DemoAccessKey)
	fmt.Printf("  HW_SECRET_KEY=%s\n", emulator.DemoSecretKey)
	fmt.Printf("  HW_AUTH_TOKEN=%s (instead of the keys)\n", emulator.DemoAuthToken)
	fmt.Print("  endpoints:")
	for _, svc := range service.All() {
		fmt.Printf(" %s=%s/%s", svc.Name, url, svc.Host)
	}
	fmt.Printf(" iam=%s/iam\n", url)
	fmt.Printf("  HW_USE_ECS_METADATA=true HW_ECS_METADATA_ENDPOINT=%s%s (temporary keys, instead of the keys)\n", url, emulator.MetadataPrefix)
	fmt.Printf("  HW_ASSUME_ROLE_AGENCY_NAME=%s HW_ASSUME_ROLE_DOMAIN_NAME=%s (on top of the keys)\n", emulator.DemoAgencyName, emulator.DemoAgencyDomain)
	fmt.Printf("  admin: %s/_emulator/ (jobs, clock, expire, faults, ratelimit, counters, credentials, skew, agencies, metadata, deny)\n", url)
	return <-done
}
