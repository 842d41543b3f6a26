namespace Junction.Destinations.Framework;

/// <summary>What the core does with an event after a send.</summary>
internal enum SendOutcome
{
    /// <summary>The tool took it (2xx).</summary>
    Delivered,

    /// <summary>Try again later: 408, 423, 429, 5xx, 598/599, no answer or a timeout.</summary>
    Retry,

    /// <summary>Never try again: every other status (the tool refused the event itself).</summary>
    Abort,
}

/// <summary>Segment's classification of a tool's answer (destinations reference, A.3).</summary>
internal static class SendClassifier
{
    public static SendOutcome Classify(int status) => status switch
    {
        >= 200 and < 300 => SendOutcome.Delivered,
        0 or 408 or 423 or 429 => SendOutcome.Retry,
        >= 500 and <= 511 => SendOutcome.Retry,
        598 or 599 => SendOutcome.Retry,
        _ => SendOutcome.Abort,
    };
}
