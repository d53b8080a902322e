package provider

import (
	"testing"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/jobs"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// BenchmarkJobValues maps each decoded seed example job to the Terraform
// model (jobType.values, which walks fieldValue), as every read does after
// decoding. bench/ reports it.
func BenchmarkJobValues(b *testing.B) {
	for _, svc := range service.All() {
		job, err := jobs.Decode(svc, svc.Seeds()[0].Body)
		if err != nil {
			b.Fatal(err)
		}
		t := newJobType(svc)
		tgt := target{jobID: "bench", region: "cn-north-4", projectID: "0605767ea300d5762fd2c0070d1a2b3c"}
		b.Run(svc.Name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if v := t.values(job, tgt); len(v) == 0 {
					b.Fatal("no values")
				}
			}
		})
	}
}
