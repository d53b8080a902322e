package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/provider"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// Peak RSS is read by putting this program in the providers' place: a
// dev_overrides directory of symlinks named terraform-provider-* that point
// at the bench binary. Started by Terraform under such a name with
// rssDirEnv set, it runs the real provider from realDirEnv as a child with
// the same stdin, stdout, stderr, arguments and environment, waits for it,
// and writes the child's ru_maxrss (the kernel's peak resident set, which
// is VmHWM at exit) into rssDirEnv. The wrapper's own memory is not counted.
const (
	rssDirEnv  = "HWCJOBS_BENCH_RSS_DIR"
	realDirEnv = "HWCJOBS_BENCH_REAL_DIR"
)

// runWrapped acts as the wrapper when started as one, and reports whether
// it was.
func runWrapped() bool {
	dir, name := os.Getenv(rssDirEnv), filepath.Base(os.Args[0])
	if dir == "" || !strings.HasPrefix(name, "terraform-provider-") {
		return false
	}
	cmd := exec.Command(filepath.Join(os.Getenv(realDirEnv), name), os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		for s := range sigs {
			_ = cmd.Process.Signal(s)
		}
	}()
	_ = cmd.Wait()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		_ = os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s.%d", name, cmd.Process.Pid)), []byte(strconv.FormatInt(ru.Maxrss, 10)), 0o644)
	}
	code := cmd.ProcessState.ExitCode()
	if code < 0 {
		code = 1
	}
	os.Exit(code)
	return true
}

const mb = 1e6

func measureFootprint(env *benchEnv, r *report) error {
	// Size: both built by setup with go build -trimpath -ldflags "-s -w".
	ours, err := os.Stat(filepath.Join(env.plugins, "terraform-provider-hwcjobs"))
	if err != nil {
		return err
	}
	theirs, err := os.Stat(filepath.Join(env.plugins, "terraform-provider-time"))
	if err != nil {
		return err
	}
	ratio := float64(ours.Size()) / float64(theirs.Size())
	r.add("4", "stripped binary (-trimpath -ldflags \"-s -w\") vs the time provider's",
		fmt.Sprintf("%.1f MB vs %.1f MB = %.2f×", float64(ours.Size())/mb, float64(theirs.Size())/mb, ratio), "≤ 1.3×", ptr(ratio <= 1.3))
	r.meet("fewer or lighter dependencies in the provider binary (go version -m lists them)")

	peaks, err := peakRSS(env)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("Peak RSS: Terraform is pointed (dev_overrides) at symlinks to the bench binary, which runs the real provider as its child and records the child's `ru_maxrss` (peak resident set, as VmHWM) when it exits; " +
		"the plans are those of measure 2, run once more this way (not timed). Terraform starts a provider several times per plan (validate, plan); the figure is the largest of those processes.\n\n")
	b.WriteString("| plan | hwcjobs peak RSS | time provider peak RSS | provider processes |\n|---|---|---|---|\n")
	for _, n := range []int{targetSize, 1000} {
		h, t := peaks[fmt.Sprint("hwcjobs", n)], peaks[fmt.Sprint("time", n)]
		fmt.Fprintf(&b, "| %d | %.1f MB | %.1f MB | %d and %d |\n", n, h.kib*1024/mb, t.kib*1024/mb, h.procs, t.procs)
	}
	h := peaks[fmt.Sprint("hwcjobs", targetSize)]
	r.add("4", "peak RSS of the provider during the plan of 200", fmt.Sprintf("%.1f MB (time provider: %.1f MB)", h.kib*1024/mb, peaks[fmt.Sprint("time", targetSize)].kib*1024/mb),
		"≤ 60 MB", ptr(h.procs > 0 && h.kib*1024 <= 60*mb))
	r.meet("less memory held per data source during plan (a heap profile of the plan of 200)")

	inProc, cold, err := schemaInProcess()
	if err != nil {
		return err
	}
	cliOurs, cliTime, err := schemaCLI(env)
	if err != nil {
		return err
	}
	fmt.Fprintf(&b, "\nGetProviderSchema: called in process on a fresh provider server (`providerserver.NewProtocol6`) 20 times: first %s, median %s. "+
		"`terraform providers schema -json` (a new provider process each time, Terraform's own start-up included), median of 5 interleaved: hwcjobs %s, time provider %s.\n",
		ms(cold), ms(inProc), ms(cliOurs), ms(cliTime))
	r.section("4. Footprint", b.String())
	r.add("4", "GetProviderSchema in process (fresh server, median of 20)", fmt.Sprintf("%s (first call %s)", ms(inProc), ms(cold)), "—", nil)
	r.add("4", "`terraform providers schema -json` (median of 5)", fmt.Sprintf("%s (time provider: %s)", ms(cliOurs), ms(cliTime)), "—", nil)
	return nil
}

type rss struct {
	kib   float64 // the largest ru_maxrss, KiB
	procs int
}

// peakRSS plans 200 and 1000 of both providers' kinds through the wrapper
// and returns the peaks keyed "hwcjobs200", "time1000" and so on.
func peakRSS(env *benchEnv) (map[string]rss, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	wrapped, rssDir := filepath.Join(env.work, "wrapped"), filepath.Join(env.work, "rss")
	for _, d := range []string{wrapped, rssDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	for _, name := range []string{"terraform-provider-hwcjobs", "terraform-provider-time"} {
		if err := os.Symlink(self, filepath.Join(wrapped, name)); err != nil {
			return nil, err
		}
	}
	cli, err := env.cliConfig("rss", wrapped)
	if err != nil {
		return nil, err
	}
	srv, err := planEmulator(1000)
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	tfenv := tfEnv(cli, srv.url, rssDirEnv+"="+rssDir, realDirEnv+"="+env.plugins)
	out := map[string]rss{}
	for _, n := range []int{targetSize, 1000} {
		for _, p := range []struct{ short, kind string }{{"hwcjobs", "hwcjobs_ecs_job"}, {"time", "time_static"}} {
			dir, err := env.writeConfig(fmt.Sprintf("rss-%s-%d", p.kind, n), planConfig(p.kind, n))
			if err != nil {
				return nil, err
			}
			files, _ := filepath.Glob(filepath.Join(rssDir, "*"))
			for _, f := range files {
				os.Remove(f)
			}
			wall, err := env.terraform(context.Background(), dir, tfenv, "plan", "-input=false", "-lock=false", "-no-color")
			if err != nil {
				return nil, err
			}
			logf("peak RSS: plan of %d %s in %s", n, p.kind, secs(wall))
			var peak rss
			files, _ = filepath.Glob(filepath.Join(rssDir, "terraform-provider-"+p.short+".*"))
			for _, f := range files {
				b, err := os.ReadFile(f)
				if err != nil {
					return nil, err
				}
				kib, err := strconv.ParseFloat(strings.TrimSpace(string(b)), 64)
				if err != nil {
					return nil, err
				}
				peak.kib, peak.procs = max(peak.kib, kib), peak.procs+1
			}
			out[fmt.Sprint(p.short, n)] = peak
		}
	}
	return out, nil
}

// schemaInProcess times GetProviderSchema on fresh provider servers.
func schemaInProcess() (med, first time.Duration, err error) {
	var ds []time.Duration
	for range 20 {
		srv := providerserver.NewProtocol6(provider.New("bench", service.All())())()
		start := time.Now()
		resp, err := srv.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
		ds = append(ds, time.Since(start))
		if err != nil {
			return 0, 0, err
		}
		for _, d := range resp.Diagnostics {
			if d.Severity == tfprotov6.DiagnosticSeverityError {
				return 0, 0, fmt.Errorf("GetProviderSchema: %s: %s", d.Summary, d.Detail)
			}
		}
	}
	return median(ds), ds[0], nil
}

// schemaCLI times `terraform providers schema -json` for a configuration
// of each provider, interleaved.
func schemaCLI(env *benchEnv) (ours, theirs time.Duration, err error) {
	cli, err := env.cliConfig("schema", env.plugins)
	if err != nil {
		return 0, 0, err
	}
	tfenv := tfEnv(cli, "http://127.0.0.1:9") // no API call is made
	var o, t []time.Duration
	for range 5 {
		for _, kind := range []string{"hwcjobs_ecs_job", "time_static"} {
			dir, err := env.writeConfig("schema-"+kind, planConfig(kind, 1))
			if err != nil {
				return 0, 0, err
			}
			wall, err := env.terraform(context.Background(), dir, tfenv, "providers", "schema", "-json")
			if err != nil {
				return 0, 0, err
			}
			if kind == "time_static" {
				t = append(t, wall)
			} else {
				o = append(o, wall)
			}
		}
	}
	return median(o), median(t), nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }
