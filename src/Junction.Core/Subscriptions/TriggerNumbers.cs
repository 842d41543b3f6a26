using System.Globalization;
using System.Text;

namespace Junction.Subscriptions;

/// <summary>
/// Number text as the trigger language needs it: JavaScript's <c>String(number)</c>, which Segment uses when a
/// number stands where text is compared, and a plain decimal form without exponent, which the trigger lexer reads.
/// </summary>
internal static class TriggerNumbers
{
    /// <summary>The same text as JavaScript's <c>String(value)</c> for a finite number (<c>1e+21</c>, <c>0.5</c>, <c>0</c> for -0).</summary>
    public static string ToJavaScriptString(double value)
    {
        var (digits, point) = Decompose(value);
        var sign = value < 0 && digits != "0" ? "-" : "";
        var k = digits.Length;
        if (k <= point && point <= 21)
        {
            return sign + digits + new string('0', point - k);
        }

        if (0 < point && point <= 21)
        {
            return sign + digits[..point] + "." + digits[point..];
        }

        if (-6 < point && point <= 0)
        {
            return sign + "0." + new string('0', -point) + digits;
        }

        var exponent = point - 1;
        var mantissa = k == 1 ? digits : digits[..1] + "." + digits[1..];
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{mantissa}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent)}");
    }

    /// <summary>
    /// The shortest digits that read back as <paramref name="value"/>, written without an exponent (<c>0.0000001</c>,
    /// <c>1000000000000000000000</c>), so that the trigger lexer, which knows no exponents, reads it.
    /// </summary>
    public static string ToPlainDecimal(double value)
    {
        var (digits, point) = Decompose(value);
        var text = new StringBuilder();
        if (value < 0 && digits != "0")
        {
            text.Append('-');
        }

        if (point >= digits.Length)
        {
            text.Append(digits).Append('0', point - digits.Length);
        }
        else if (point > 0)
        {
            text.Append(digits, 0, point).Append('.').Append(digits, point, digits.Length - point);
        }
        else
        {
            text.Append("0.").Append('0', -point).Append(digits);
        }

        return text.ToString();
    }

    /// <summary>
    /// Splits a finite number into its shortest significant digits and the position of the decimal point
    /// relative to them: the magnitude is <c>0.digits × 10^point</c>. Zero is ("0", 1).
    /// </summary>
    private static (string Digits, int Point) Decompose(double value)
    {
        var text = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var e = text.IndexOf('E', StringComparison.Ordinal);
        if (e >= 0)
        {
            exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var digits = dot < 0 ? text : string.Concat(text.AsSpan(0, dot), text.AsSpan(dot + 1));
        var point = (dot < 0 ? text.Length : dot) + exponent;
        var leading = 0;
        while (leading < digits.Length - 1 && digits[leading] == '0')
        {
            leading++;
        }

        digits = digits[leading..].TrimEnd('0');
        return digits.Length == 0 ? ("0", 1) : (digits, point - leading);
    }
}
