package config

// The harness's Option hides Config from its users (go doc shows no
// internal type), yet this module's own packages (the command line,
// cassette replay, mfatest) set fields no public option sets, and read
// what a list of options makes. harness registers the two functions here
// when it is initialised; a package that names harness.Option has
// imported harness, so they are set before any use.
var (
	makeOption    func(func(*Config) error) any
	resolveOption func(opts any) (Config, error)
)

// RegisterOptions is called by package harness only.
func RegisterOptions(mk func(func(*Config) error) any, resolve func(opts any) (Config, error)) {
	makeOption, resolveOption = mk, resolve
}

// OptionOf makes an O (harness.Option) that sets what f sets.
func OptionOf[O any](f func(*Config)) O {
	return makeOption(func(c *Config) error { f(c); return nil }).(O)
}

// Resolve is the Config that opts (a []harness.Option) make, with the
// errors of the options that refused their value.
func Resolve(opts any) (Config, error) { return resolveOption(opts) }
