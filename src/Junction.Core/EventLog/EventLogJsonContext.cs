using System.Text.Json.Serialization;

namespace Junction.EventLog;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(LogMetadata))]
internal sealed partial class EventLogJsonContext : JsonSerializerContext;
