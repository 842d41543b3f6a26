using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Junction.Protocols.Plans.Schema;

/// <summary>
/// The state of one validation: where in the event the validator is (a stack of keys and indexes, turned into a
/// path such as <c>properties.products.0.sku</c> only when a violation is reported), the violations found so far,
/// and whether they are wanted at all. Inside <c>anyOf</c>, <c>oneOf</c>, <c>not</c> and <c>if</c> only validity
/// matters, so the run is "quiet": checks stop at their first failure and report nothing. One run is kept per
/// thread and reused, so a check that finds nothing allocates nothing.
/// </summary>
internal sealed class SchemaRun
{
    [ThreadStatic]
    private static SchemaRun? _spare;

    private readonly List<Violation> _violations = [];
    private Segment[] _path = new Segment[16];
    private int _depth;
    private int _quiet;

    /// <summary>True when violations are recorded; false inside a branch whose validity alone matters.</summary>
    public bool Collecting => _quiet == 0;

    /// <summary>How many violations have been recorded.</summary>
    public int Count => _violations.Count;

    /// <summary>Takes this thread's run (or a new one when it is in use), empty and at the root of the event.</summary>
    public static SchemaRun Rent()
    {
        var run = _spare ?? new SchemaRun();
        _spare = null;
        return run;
    }

    /// <summary>Gives a run back for the next check on this thread.</summary>
    public static void Return(SchemaRun run)
    {
        run._violations.Clear();
        run._depth = 0;
        run._quiet = 0;
        _spare = run;
    }

    public void Push(string key) => PushSegment(new Segment(key, default, -1));

    public void Push(JsonProperty property) => PushSegment(new Segment(null, property, -1));

    public void Push(int index) => PushSegment(new Segment(null, default, index));

    public void Pop() => _depth--;

    /// <summary>Stops recording: from now until <see cref="EndQuiet"/> only validity matters.</summary>
    public void BeginQuiet() => _quiet++;

    public void EndQuiet() => _quiet--;

    /// <summary>Records a violation of the value at the current path.</summary>
    public void Report(string type, string description)
    {
        if (Collecting)
        {
            _violations.Add(new Violation(type, Path(null), description));
        }
    }

    /// <summary>Records a violation of the value at the current path; the description is not even built when the run is quiet.</summary>
    public void Report(string type, [InterpolatedStringHandlerArgument("")] ref ViolationText description)
    {
        if (Collecting)
        {
            _violations.Add(new Violation(type, Path(null), description.ToStringAndClear()));
        }
    }

    /// <summary>Records a violation of a child of the current value (a missing required property), described as its path and then <paramref name="rest"/>.</summary>
    public void ReportChild(string child, string type, string rest)
    {
        if (Collecting)
        {
            var field = Path(child);
            _violations.Add(new Violation(type, field, field + rest));
        }
    }

    /// <summary>The violation recorded at <paramref name="index"/>.</summary>
    public Violation At(int index) => _violations[index];

    /// <summary>Forgets the violations recorded from <paramref name="count"/> on.</summary>
    public void TruncateTo(int count) => _violations.RemoveRange(count, _violations.Count - count);

    /// <summary>The violations recorded from <paramref name="start"/> on, as an array, and forgets them.</summary>
    public Violation[] Take(int start)
    {
        if (_violations.Count == start)
        {
            return [];
        }

        var taken = _violations.GetRange(start, _violations.Count - start).ToArray();
        TruncateTo(start);
        return taken;
    }

    /// <summary>The current path, joined with dots, optionally with one more key; <c>(root)</c> for the top.</summary>
    public string Path(string? child)
    {
        if (_depth == 0 && child is null)
        {
            return "(root)";
        }

        var builder = new StringBuilder();
        for (var i = 0; i < _depth; i++)
        {
            if (i > 0)
            {
                builder.Append('.');
            }

            var segment = _path[i];
            if (segment.Index >= 0)
            {
                builder.Append(segment.Index);
            }
            else
            {
                builder.Append(segment.Key ?? JsonText.NameOf(segment.Property));
            }
        }

        if (child is not null)
        {
            if (_depth > 0)
            {
                builder.Append('.');
            }

            builder.Append(child);
        }

        return builder.ToString();
    }

    private void PushSegment(Segment segment)
    {
        if (_depth == _path.Length)
        {
            Array.Resize(ref _path, _path.Length * 2);
        }

        _path[_depth++] = segment;
    }

    // A key known from the schema, a property of the event (whose name is read only for a message), or an index.
    private readonly record struct Segment(string? Key, JsonProperty Property, int Index);
}

/// <summary>
/// Builds a violation's description from an interpolated string only when the run records violations, so that the
/// failing branches of <c>anyOf</c> and the like cost no formatting.
/// </summary>
[InterpolatedStringHandler]
internal ref struct ViolationText
{
    private DefaultInterpolatedStringHandler _inner;

    public ViolationText(int literalLength, int formattedCount, SchemaRun run, out bool shouldAppend)
    {
        shouldAppend = run.Collecting;
        _inner = shouldAppend ? new DefaultInterpolatedStringHandler(literalLength, formattedCount, CultureInfo.InvariantCulture) : default;
    }

    public void AppendLiteral(string value) => _inner.AppendLiteral(value);

    public void AppendFormatted<T>(T value) => _inner.AppendFormatted(value);

    public void AppendFormatted(string? value) => _inner.AppendFormatted(value);

    public string ToStringAndClear() => _inner.ToStringAndClear();
}
