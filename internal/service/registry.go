package service

// All returns the services the provider and the emulator are built from in
// production, in a stable order. Tests may build either from their own.
func All() []*Service {
	return []*Service{
		ECS, ELB, SDRS, SFSTurbo,
		EVS,
		BMS,
		CCE,
	}
}
