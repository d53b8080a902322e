// Command hwcjobs-emulator runs the local Huawei Cloud job API emulator on
// loopback, for demos, manual testing and users' own module tests, and
// drives a running one through its admin API with sub-commands:
//
//	hwcjobs-emulator [-port 8080] [-per-service] ...   run the emulator
//	hwcjobs-emulator create -service ecs ...           create a timed job
//	hwcjobs-emulator fail -service ecs -id ID ...      make a job fail now
//	hwcjobs-emulator advance 30s                       move a manual clock
//	hwcjobs-emulator jobs | counters | routes | expire | clock
//
// Run `hwcjobs-emulator help` for the flags of each.
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/emulator"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "hwcjobs-emulator:", err)
		os.Exit(1)
	}
}

// run is the whole command: a sub-command, or the emulator itself.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		if args[0] == "help" {
			usage(stdout)
			return nil
		}
		cmd, ok := commands[args[0]]
		if !ok {
			return fmt.Errorf("unknown sub-command %q (run `hwcjobs-emulator help`)", args[0])
		}
		return cmd(ctx, args[1:], stdout, stderr)
	}
	return serve(ctx, args, stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprint(w, `hwcjobs-emulator: a local Huawei Cloud that speaks the job APIs.

  hwcjobs-emulator [flags]        run it (hwcjobs-emulator -h for the flags)
  hwcjobs-emulator SUB-COMMAND    drive a running one through its admin API

Sub-commands (each takes -url, default $HWCJOBS_EMULATOR_URL, and -h):
  create   create a timed job of any service: -service, -id, -type,
           -duration or -timeline STATUS=AFTER,..., -fail, -code, -reason,
           -sub-jobs, -not-found-reads; or -file SPEC.json
  fail     make a running timed job fail now: -service, -id, -code, -reason
  advance  move a manual job clock (emulator started with -manual-clock): advance 30s
  clock    show the job clock
  jobs     list the jobs: [-service]
  expire   forget a job at once: -service, -id
  counters show the request counters (-reset to zero them)
  routes   list the admin API's routes
`)
}

// serve runs the emulator until ctx is done.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("hwcjobs-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	host := fs.String("host", "127.0.0.1", "loopback address to listen on (127.0.0.1, ::1 or localhost)")
	fs.StringVar(host, "addr", "127.0.0.1", "the same as -host")
	port := fs.Int("port", 0, "port of the prefixed listener, every service under /<service> (0 = any free port)")
	perService := fs.Bool("per-service", false, "also serve IAM and each service on its own port with no path prefix, for SDKs (see -ports)")
	ports := fs.Int("ports", emulator.DefaultBasePort, "with -per-service: IAM's port; the services take the next ports in order (0 = any free ports)")
	speed := fs.Float64("speed", 1, "job clock speed (10 = jobs run ten times faster)")
	manual := fs.Bool("manual-clock", false, "stop the job clock: it moves only with `hwcjobs-emulator advance` (POST /_emulator/clock)")
	ttl := fs.Duration("ttl", 24*time.Hour, "how long finished timed jobs are kept, in job time")
	jobsFile := fs.String("jobs", "", "JSON file with a job spec, or a list of them, to create at start")
	urlFile := fs.String("url-file", "", "write the prefixed listener's base URL to this file once listening")
	envFile := fs.String("env-file", "", "write the export lines of the banner to this file once listening")
	verbose := fs.Bool("v", false, "log every request")
	useTLS := fs.Bool("tls", false, "serve HTTPS with a self-signed certificate made at start (clients need insecure = true, or the -cert-file)")
	certFile := fs.String("cert-file", "", "with -tls, write the certificate (PEM, no key) to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (sub-commands come first: run `hwcjobs-emulator help`)", fs.Arg(0))
	}
	switch {
	case *certFile != "" && !*useTLS:
		return errors.New("-cert-file needs -tls")
	case *manual && *speed != 1:
		return errors.New("-manual-clock and -speed exclude each other")
	case *speed <= 0:
		return fmt.Errorf("-speed %v must be positive", *speed)
	case *ports < 0 || *ports > 65535:
		return fmt.Errorf("-ports %d is not a port", *ports)
	}

	opts := emulator.Options{Services: service.All(), TTL: *ttl}
	switch {
	case *manual:
		opts.JobClock = emulator.NewManualClock(time.Time{})
	case *speed != 1:
		opts.JobClock = emulator.NewScaledClock(*speed)
	}
	if *verbose {
		opts.Logf = log.New(stderr, "", log.LstdFlags).Printf
	}
	srv := emulator.New(opts)

	if *jobsFile != "" {
		data, err := os.ReadFile(*jobsFile)
		if err != nil {
			return err
		}
		specs, _, err := emulator.ParseJobSpecs(data)
		if err != nil {
			return fmt.Errorf("%s: %w", *jobsFile, err)
		}
		for _, spec := range specs {
			if _, err := srv.CreateJob(spec); err != nil {
				return fmt.Errorf("%s: %w", *jobsFile, err)
			}
		}
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var cert *tls.Certificate
	if *useTLS {
		c, err := emulator.SelfSignedCertificate()
		if err != nil {
			return err
		}
		if *certFile != "" {
			if err := os.WriteFile(*certFile, emulator.CertificatePEM(c), 0o644); err != nil { //nolint:gosec // a public certificate
				return err
			}
		}
		cert = &c
	}
	listen := net.JoinHostPort(*host, strconv.Itoa(*port))
	var (
		url  string
		done <-chan error
		err  error
	)
	if cert != nil {
		url, done, err = srv.ListenAndServeTLS(ctx, listen, *cert)
	} else {
		url, done, err = srv.ListenAndServe(ctx, listen)
	}
	if err != nil {
		return err
	}
	var endpoints []emulator.Endpoint
	perDone := make(<-chan error)
	if *perService {
		endpoints, perDone, err = srv.ListenPerService(ctx, *host, *ports, cert)
		if err != nil {
			cancel()
			return errors.Join(fmt.Errorf("-per-service: %w (choose other ports with -ports, or -ports=0)", err), <-done)
		}
	}
	b := banner{url: url, endpoints: endpoints, services: srv.Services(), tls: cert != nil, certFile: *certFile, manual: *manual}
	if *urlFile != "" {
		if err := os.WriteFile(*urlFile, []byte(url+"\n"), 0o644); err != nil { //nolint:gosec // a URL, read by scripts
			return err
		}
	}
	if *envFile != "" {
		if err := os.WriteFile(*envFile, []byte(b.exports()), 0o644); err != nil { //nolint:gosec // demo credentials only
			return err
		}
	}
	fmt.Fprint(stdout, b.String())
	// Run until ctx is done or a listener fails, then stop them all.
	var perErr error
	select {
	case err = <-done:
		cancel()
		if *perService {
			perErr = <-perDone
		}
	case perErr = <-perDone:
		cancel()
		err = <-done
	}
	return errors.Join(err, perErr)
}
