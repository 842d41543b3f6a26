using System.Globalization;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Junction.Workspace.Data;

/// <summary>Stores a <see cref="DateTimeOffset"/> as sortable UTC text (<c>2026-11-28T21:07:09.7260000Z</c>).</summary>
internal sealed class DateTimeOffsetToIsoStringConverter() : ValueConverter<DateTimeOffset, string>(
    value => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
    text => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal));
