package jobs

import "testing"

// seedServices maps each seed page's example (internal/emulator/seeds) to
// its service.
var seedServices = []struct {
	name string
	svc  *Service
}{{"ecs", ECS}, {"elb", ELB}, {"sdrs", SDRS}, {"sfs_turbo", SFSTurbo}}

// BenchmarkDecode decodes each seed example job, as every read does.
// bench/ reports it.
func BenchmarkDecode(b *testing.B) {
	for _, s := range seedServices {
		body := readSeed(b, s.name)
		b.Run(s.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Decode(s.svc, body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
