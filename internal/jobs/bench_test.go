package jobs_test

import (
	"testing"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/jobs"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// BenchmarkDecode decodes each service's example jobs, as every read does.
// bench/ reports it.
func BenchmarkDecode(b *testing.B) {
	for _, svc := range service.All() {
		for _, seed := range svc.Seeds() {
			b.Run(seed.File, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := jobs.Decode(svc, seed.Body); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
