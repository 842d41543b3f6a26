using System.Buffers;

// The ceiling for the load script: Kestrel with Junction's host settings (slim builder, one routed POST, the body read
// into a pooled buffer, Microsoft.AspNetCore logs at Warning) and no work at all: every POST /v1/{call} answers
// {"success":true}. Start it like Junction: dotnet Junction.Bench.NoopServer.dll --urls http://127.0.0.1:PORT
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
var app = builder.Build();
var success = """{"success":true}"""u8.ToArray();

app.MapPost("/v1/{call}", async (HttpContext http) =>
{
    var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    try
    {
        while (await http.Request.Body.ReadAsync(buffer, http.RequestAborted) > 0)
        {
        }
    }
    finally
    {
        ArrayPool<byte>.Shared.Return(buffer);
    }

    http.Response.ContentType = "application/json";
    http.Response.ContentLength = success.Length;
    await http.Response.Body.WriteAsync(success, http.RequestAborted);
});

await app.RunAsync();
