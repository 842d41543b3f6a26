using Junction.Bench.DeliveryLatency;

// End-to-end delivery latency: Junction's Tracking API to a Webhooks (Actions) destination on this machine.
// Run from the repository root after building Junction.Server in Release:
//   dotnet run -c Release --project bench/Junction.Bench.DeliveryLatency -- [--rate 1000] [--warmup 10] [--duration 60]
//       [--drain 30] [--port 18090] [--keep-data] [-- --Section:Key=value ...]
// Arguments after "--" go to `serve` as configuration overrides (for example --Delivery:Linger=00:00:00.005).
// See docs/benchmarks.md for what it measures and the figures on the reference machine.
var settings = BenchSettings.Parse(args);
var output = Directory.CreateDirectory(settings.OutputDirectory).FullName;
await using var receiver = await Receiver.StartAsync();
await using var junction = await JunctionProcess.StartAsync(settings, output);
var writeKey = await junction.CreateWebhookPipelineAsync(receiver.Url + "/hook");
var driver = new LoadDriver(junction.BaseUrl, writeKey, receiver, settings);
await driver.ProbeAsync();
var result = await driver.RunAsync(junction.ProcessId);
var report = Report.Format(settings, result);
await Console.Out.WriteAsync(report);
await File.WriteAllTextAsync(Path.Combine(output, "report.txt"), report);
Say.Line($"==> report and server log in {output}");
