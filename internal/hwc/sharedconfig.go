package hwc

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// SharedProfile is one profile of a KooCLI configuration file
// (~/.hcloud/config.json), reduced to what the client uses.
type SharedProfile struct {
	// File is the path the profile was read from.
	File string
	// Name is the profile's name.
	Name string
	// Mode is "AKSK" or "SSO".
	Mode string
	// AccessKey, SecretKey and SecurityToken are the profile's keys (for
	// SSO, those of its stsToken, which have no expiry: static temporary keys).
	AccessKey, SecretKey, SecurityToken string
	// Region and ProjectID fill what the configuration leaves unset.
	Region, ProjectID string
	// AgencyName and AgencyDomainName, both set, mean: assume that agency.
	AgencyName, AgencyDomainName string
}

type koocliFile struct {
	Current  string          `json:"current"`
	Profiles []koocliProfile `json:"profiles"`
}

type koocliProfile struct {
	Name             string `json:"name"`
	Mode             string `json:"mode"`
	AccessKeyID      string `json:"accessKeyId"`
	SecretAccessKey  string `json:"secretAccessKey"`
	SecurityToken    string `json:"securityToken"`
	Region           string `json:"region"`
	ProjectID        string `json:"projectId"`
	AgencyName       string `json:"agencyName"`
	AgencyDomainName string `json:"agencyDomainName"`
	SSOAuth          *struct {
		STSToken *struct {
			AccessKeyID     string `json:"accessKeyId"`
			SecretAccessKey string `json:"secretAccessKey"`
			SecurityToken   string `json:"securityToken"`
		} `json:"stsToken"`
	} `json:"ssoAuth"`
}

const (
	sharedFileSetting = "shared_config_file (HW_SHARED_CONFIG_FILE)"
	profileSetting    = "profile (HW_PROFILE)"
)

// LoadSharedProfile reads the profile named profile ("" = the file's
// current profile) from the KooCLI file at path ("" or a path starting
// with "~/" is taken from the user's home directory, default
// DefaultSharedConfigFile). Its errors name the setting and its variable,
// and never hold a key.
func LoadSharedProfile(path, profile string) (*SharedProfile, error) {
	if path == "" {
		path = DefaultSharedConfigFile
	}
	if rest, ok := strings.CutPrefix(path, "~/"); ok {
		home, err := os.UserHomeDir()
		if err != nil {
			return nil, fmt.Errorf("%s: cannot find the home directory for %s: %w", sharedFileSetting, path, err)
		}
		path = filepath.Join(home, rest)
	}
	data, err := os.ReadFile(path) //nolint:gosec // G304: the file the user named
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s: %s does not exist; set shared_config_file (or HW_SHARED_CONFIG_FILE) to a KooCLI config.json, or unset it and profile (HW_PROFILE)", sharedFileSetting, path)
		}
		return nil, fmt.Errorf("%s: cannot read %s: %w", sharedFileSetting, path, errors.Unwrap(err))
	}
	var f koocliFile
	if err := json.Unmarshal(data, &f); err != nil {
		// The decoder's message names a position, never the file's values.
		return nil, fmt.Errorf("%s: %s is not a KooCLI configuration (JSON with \"current\" and \"profiles\"): %v", sharedFileSetting, path, jsonErrorText(err))
	}
	name := profile
	if name == "" {
		name = f.Current
	}
	if name == "" {
		return nil, fmt.Errorf("%s: %s names no current profile; set profile (or HW_PROFILE)", profileSetting, path)
	}
	var names []string
	for _, p := range f.Profiles {
		names = append(names, p.Name)
		if p.Name != name {
			continue
		}
		sp := &SharedProfile{
			File: path, Name: p.Name, Mode: p.Mode,
			AccessKey: p.AccessKeyID, SecretKey: p.SecretAccessKey, SecurityToken: p.SecurityToken,
			Region: p.Region, ProjectID: p.ProjectID,
			AgencyName: p.AgencyName, AgencyDomainName: p.AgencyDomainName,
		}
		where := fmt.Sprintf("%s: profile %q in %s", profileSetting, name, path)
		switch strings.ToUpper(p.Mode) {
		case "", "AKSK":
			sp.Mode = "AKSK"
		case "SSO":
			sp.AccessKey, sp.SecretKey, sp.SecurityToken = "", "", ""
			if p.SSOAuth != nil && p.SSOAuth.STSToken != nil {
				st := p.SSOAuth.STSToken
				sp.AccessKey, sp.SecretKey, sp.SecurityToken = st.AccessKeyID, st.SecretAccessKey, st.SecurityToken
			}
			if sp.AccessKey == "" || sp.SecretKey == "" || sp.SecurityToken == "" {
				return nil, fmt.Errorf("%s is in SSO mode but has no complete ssoAuth.stsToken (accessKeyId, secretAccessKey, securityToken); log in again with KooCLI (hcloud configure sso)", where)
			}
		default:
			return nil, fmt.Errorf("%s has mode %q; only AKSK and SSO profiles are supported", where, p.Mode)
		}
		switch {
		case sp.AccessKey == "" && sp.SecretKey == "":
			return nil, fmt.Errorf("%s has no keys: set its accessKeyId and secretAccessKey", where)
		case sp.AccessKey == "":
			return nil, fmt.Errorf("%s has a secretAccessKey but no accessKeyId", where)
		case sp.SecretKey == "":
			return nil, fmt.Errorf("%s has an accessKeyId but no secretAccessKey", where)
		case (sp.AgencyName == "") != (sp.AgencyDomainName == ""):
			return nil, fmt.Errorf("%s sets only one of agencyName and agencyDomainName; an agency needs both", where)
		}
		if sp.Region != "" {
			if err := CheckRegion(sp.Region); err != nil {
				return nil, fmt.Errorf("%s: region %w", where, err)
			}
		}
		if sp.ProjectID != "" {
			if err := CheckProjectID(sp.ProjectID); err != nil {
				return nil, fmt.Errorf("%s: projectId: %w", where, err)
			}
		}
		return sp, nil
	}
	return nil, fmt.Errorf("%s: no profile named %q in %s (profiles: %s)", profileSetting, name, path, strings.Join(names, ", "))
}

// jsonErrorText keeps only the position and kind of a decoding error.
func jsonErrorText(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("invalid JSON at byte %d", syntax.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("%s must be %s, not %s", typ.Field, typ.Type, typ.Value)
	}
	return "invalid JSON"
}
