using BenchmarkDotNet.Running;

// Run from the repository root: dotnet run -c Release --project bench/Junction.Benchmarks -- --filter '*'
// Areas are namespaces: --filter '*Parsing*', '*Normalizing*', '*Gateway*', '*Appending*', '*Reading*'.
// See docs/benchmarks.md for what each measures and the figures on the reference machine.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
