using System.Text.Json;

namespace Junction.Protocols.Plans.Schema;

/// <summary>A numeric limit from the schema, exact as a decimal when it fits one, and as written for messages.</summary>
internal readonly record struct NumberLimit(double Value, decimal? Exact, string Text)
{
    public static NumberLimit From(JsonElement number) => new(
        JsonText.Double(number),
        number.TryGetDecimal(out var exact) ? exact : null,
        number.GetRawText());

    /// <summary>Compares a number of the event with the limit: negative, zero or positive.</summary>
    public int CompareFrom(JsonElement instance)
    {
        if (Exact is { } exact && instance.TryGetDecimal(out var value))
        {
            return value.CompareTo(exact);
        }

        return JsonText.Double(instance).CompareTo(Value);
    }
}

/// <summary>
/// <c>minimum</c>, <c>maximum</c>, <c>exclusiveMinimum</c>, <c>exclusiveMaximum</c> (numbers, as in draft-07) and
/// <c>multipleOf</c>, for number values. Decimal arithmetic is used when both sides fit, so that
/// <c>0.3</c> is a multiple of <c>0.1</c>.
/// </summary>
internal sealed class NumberCheck(NumberLimit? minimum, NumberLimit? maximum, NumberLimit? exclusiveMinimum, NumberLimit? exclusiveMaximum, NumberLimit? multipleOf)
    : SchemaCheck
{
    public override bool Validate(JsonElement instance, SchemaRun run)
    {
        if (instance.ValueKind != JsonValueKind.Number)
        {
            return true;
        }

        var valid = true;
        if (minimum is { } min && min.CompareFrom(instance) < 0)
        {
            run.Report(ViolationTypes.OutOfRange, $"Must be greater than or equal to {min.Text}");
            valid = false;
            if (!run.Collecting)
            {
                return false;
            }
        }

        if (exclusiveMinimum is { } emin && emin.CompareFrom(instance) <= 0)
        {
            run.Report(ViolationTypes.OutOfRange, $"Must be greater than {emin.Text}");
            valid = false;
            if (!run.Collecting)
            {
                return false;
            }
        }

        if (maximum is { } max && max.CompareFrom(instance) > 0)
        {
            run.Report(ViolationTypes.OutOfRange, $"Must be less than or equal to {max.Text}");
            valid = false;
            if (!run.Collecting)
            {
                return false;
            }
        }

        if (exclusiveMaximum is { } emax && emax.CompareFrom(instance) >= 0)
        {
            run.Report(ViolationTypes.OutOfRange, $"Must be less than {emax.Text}");
            valid = false;
            if (!run.Collecting)
            {
                return false;
            }
        }

        if (multipleOf is { } divisor && !IsMultiple(instance, divisor))
        {
            run.Report(ViolationTypes.OutOfRange, $"Must be a multiple of {divisor.Text}");
            valid = false;
        }

        return valid;
    }

    private static bool IsMultiple(JsonElement instance, NumberLimit divisor)
    {
        if (divisor.Exact is { } exact && exact != 0 && instance.TryGetDecimal(out var value))
        {
            try
            {
                return value % exact == 0;
            }
            catch (OverflowException)
            {
                // Falls through to the approximate check below.
            }
        }

        var quotient = JsonText.Double(instance) / divisor.Value;
        return double.IsFinite(quotient) && Math.Abs(quotient - Math.Round(quotient)) < 1e-9;
    }
}
