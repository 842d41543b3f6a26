namespace Junction.Destinations.Framework;

/// <summary>One item of a batch as a destination built it: the value to send, or why it cannot be sent.</summary>
internal readonly record struct Built<T>(T? Value, string? Problem)
    where T : class
{
    public static Built<T> Ok(T value) => new(value, null);

    public static Built<T> Refused(string problem) => new(null, problem);
}

/// <summary>Sending the items of a batch that could be built while refusing the others.</summary>
internal static class Built
{
    /// <summary>
    /// Sends the items that could be built with <paramref name="send"/> and answers for the whole batch. When none
    /// could be built the batch is <see cref="SendResult.Invalid"/> and nothing is sent; when some could not, each
    /// item gets its own status: 400 for a refused one, the tool's answer for the others.
    /// </summary>
    /// <param name="items">Per item of the batch, in order: what to send, or why it cannot be sent.</param>
    /// <param name="send">Sends the built items, in order; its result may carry one status per item it was given.</param>
    public static async ValueTask<SendResult> SendValidAsync<T>(IReadOnlyList<Built<T>> items, Func<IReadOnlyList<T>, Task<SendResult>> send)
        where T : class
    {
        var valid = items.Where(item => item.Value is not null).Select(item => item.Value!).ToList();
        if (valid.Count == 0)
        {
            return SendResult.Invalid(string.Join("; ", items.Select(item => item.Problem).Distinct(StringComparer.Ordinal)));
        }

        var sent = await send(valid);
        if (valid.Count == items.Count)
        {
            return sent;
        }

        var sentStatuses = sent.Statuses(valid.Count);
        var statuses = new int[items.Count];
        var next = 0;
        for (var i = 0; i < items.Count; i++)
        {
            statuses[i] = items[i].Value is null ? SendResult.InvalidPayloadStatus : sentStatuses[next++];
        }

        return SendResult.PerItem(statuses, sent.Body, sent.RetryAfter);
    }
}
