namespace Junction.Bench.DeliveryLatency;

/// <summary>Progress on stderr, so that stdout holds only the report.</summary>
internal static class Say
{
    public static void Line(string text) => Console.Error.WriteLine(text);
}
