package provider

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/jobs"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// BenchmarkJobValues maps each decoded seed example job to the Terraform
// model (jobType.values, which walks fieldValue), as every read does after
// decoding. bench/ reports it.
func BenchmarkJobValues(b *testing.B) {
	for _, s := range []struct {
		name string
		svc  *service.Service
	}{{"ecs", service.ECS}, {"elb", service.ELB}, {"sdrs", service.SDRS}, {"sfs_turbo", service.SFSTurbo}} {
		body, err := os.ReadFile(filepath.Join("..", "emulator", "seeds", s.name+".json"))
		if err != nil {
			b.Fatal(err)
		}
		job, err := jobs.Decode(s.svc, body)
		if err != nil {
			b.Fatal(err)
		}
		t := newJobType(s.svc)
		tgt := target{jobID: "bench", region: "cn-north-4", projectID: "0605767ea300d5762fd2c0070d1a2b3c"}
		b.Run(s.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if v := t.values(job, tgt); len(v) == 0 {
					b.Fatal("no values")
				}
			}
		})
	}
}
