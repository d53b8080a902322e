package provider

import (
	"context"
	"crypto/tls"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/emulator"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// newTLSAccEnv is newAccEnv over HTTPS: the emulator serves a self-signed
// certificate made for this test, which nothing trusts.
func newTLSAccEnv(t *testing.T, opts emulator.Options) (*accEnv, tls.Certificate) {
	t.Helper()
	emu := emulator.New(opts)
	cert, err := emulator.SelfSignedCertificate()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	url, done, err := emu.ListenAndServeTLS(ctx, "127.0.0.1:0", cert)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("emulator: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("the HTTPS emulator did not stop")
		}
	})
	if !strings.HasPrefix(url, "https://127.0.0.1:") {
		t.Fatalf("emulator URL %s", url)
	}
	return &accEnv{emu: emu, services: emu.Services(), url: url, env: map[string]string{}}, cert
}

// TestAccTLS: against an HTTPS endpoint with a self-signed certificate, a
// read fails with an error that names the certificate problem, before any
// request (hence any signature) reaches the server; with insecure = true
// the data source reads the job and a wait resource finishes.
func TestAccTLS(t *testing.T) {
	e, _ := newTLSAccEnv(t, emulator.Options{})
	svc := service.ECS
	jobID := emulator.SeedJobID(svc)
	data := fmt.Sprintf("data %q \"job\" {\n  job_id = %q\n}\n", "hwcjobs_"+svc.Name+"_job", jobID)
	wait := waitHCL(svc, "done", jobID, "")
	addr := "data.hwcjobs_" + svc.Name + "_job.job"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config: e.config("", data),
				// Terraform wraps diagnostics, so words may be split by
				// any whitespace.
				ExpectError: regexp.MustCompile(`GET\s+https://127\.0\.0\.1:\d+/ecs/v1/` + emulator.DefaultProjectID +
					`/jobs/` + jobID + `:\s+tls:\s+failed\s+to\s+verify\s+certificate:\s+x509:\s+certificate\s+signed\s+by\s+unknown\s+authority[\s\S]*set\s+insecure\s+=\s+true`),
			},
			{
				PreConfig: func() {
					if n := e.emu.Counters().Requests; n != 0 {
						t.Errorf("the emulator received %d requests over a certificate the provider must refuse", n)
					}
				},
				Config: e.config("insecure = true", data+wait),
				ConfigStateChecks: []statecheck.StateCheck{
					check(addr, str("SUCCESS"), "status"),
					check(addr, str("succeeded"), "phase"),
					check(addr, str(jobID), "job_id"),
					check(waitType(svc)+".done", str("SUCCESS"), "status"),
				},
			},
		},
	})
	if n := e.emu.Counters().JobReads(svc.Name, jobID); n < 2 {
		t.Errorf("the emulator served the job %d times over HTTPS, want at least 2", n)
	}
}
