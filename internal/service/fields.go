package service

// Descriptions of the fields most job APIs share.
const (
	descJobID     = "The ID of the job."
	descJobType   = "The type of the job, named after the API call that started it."
	descBeginTime = "When the job started, as an RFC 3339 timestamp."
	descEndTime   = "When the job finished, as an RFC 3339 timestamp; null while it runs."
	descErrorCode = "The error code of a failed job; null when it succeeded."
)

// JobFields returns the fields of the usual flat job object: status,
// job_id, job_type, begin_time, end_time, error_code and the reason field
// (named reasonKey), with descriptions that name the service's statuses.
func JobFields(statusDesc, reasonKey, reasonDesc string) []Field {
	return []Field{
		{Key: "job_id", Kind: String, Role: ID, Description: descJobID},
		{Key: "status", Kind: String, Role: Status, Description: statusDesc},
		{Key: "job_type", Kind: String, Role: Type, Description: descJobType},
		{Key: "begin_time", Kind: Time, Role: Begin, Description: descBeginTime},
		{Key: "end_time", Kind: Time, Role: End, Description: descEndTime},
		{Key: "error_code", Kind: String, Role: Code, Description: descErrorCode},
		{Key: reasonKey, Kind: String, Role: Reason, Description: reasonDesc},
	}
}

// StringFields returns plain string fields from key, description pairs.
func StringFields(pairs ...string) []Field {
	fields := make([]Field, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		fields = append(fields, Field{Key: pairs[i], Kind: String, Description: pairs[i+1]})
	}
	return fields
}
