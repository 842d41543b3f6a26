using System.Runtime.InteropServices;
using System.Text.Json;
using static Junction.Warehouses.Schema.WarehouseColumns;

namespace Junction.Warehouses.Schema;

/// <summary>
/// Turns one normalized event into the rows Segment's warehouse layout has for it: a Track call gives a row in
/// <c>tracks</c> and one in the event's own table, an Identify a row in <c>identifies</c> and one in <c>users</c>, a
/// Group one in <c>groups</c> and one in <c>accounts</c>, a Page, Screen or Alias one in <c>pages</c>,
/// <c>screens</c> or <c>aliases</c>. Properties, traits and <c>context</c> are flattened into columns (nested objects
/// joined with <c>_</c>, arrays as JSON text). Pure and allocation-lean: it runs for every event of every sync.
/// </summary>
internal static partial class EventRows
{
    /// <summary>The reason given for a value whose name has no letter or digit.</summary>
    public const string NoNameReason = "name has no letters or digits";

    /// <summary>The reason given when a Track event's name has no letter or digit, so it has no table.</summary>
    public const string NoTableReason = "event name has no letters or digits, so it has no table";

    private const int RowCapacity = 32;

    /// <summary>The rows of one event (none for an unknown type or an event without <c>messageId</c> or <c>receivedAt</c>).</summary>
    public static IReadOnlyList<EventRow> Map(JsonElement message)
    {
        var rows = new List<EventRow>(2);
        Map(message, rows);
        return rows;
    }

    /// <summary>Adds the rows of one event to <paramref name="rows"/>.</summary>
    public static void Map(JsonElement message, List<EventRow> rows)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var fields = Fields.Read(message);
        if (fields.Type.ValueKind != JsonValueKind.String
            || Text(fields.MessageId) is not { } eventId
            || WarehouseValues.Timestamp(fields.ReceivedAt) is not { } receivedAt)
        {
            return;
        }

        var type = fields.Type;
        var row = new Flattener(eventId, receivedAt);
        if (type.ValueEquals("track"u8))
        {
            Track(in fields, ref row, rows);
        }
        else if (type.ValueEquals("identify"u8))
        {
            WithTraits(in fields, ref row, rows, WarehouseTables.Identifies, WarehouseTables.Users, Text(fields.UserId));
        }
        else if (type.ValueEquals("group"u8))
        {
            WithTraits(in fields, ref row, rows, WarehouseTables.Groups, WarehouseTables.Accounts, Text(fields.GroupId));
        }
        else if (type.ValueEquals("page"u8))
        {
            Page(in fields, ref row, rows, WarehouseTables.Pages);
        }
        else if (type.ValueEquals("screen"u8))
        {
            Page(in fields, ref row, rows, WarehouseTables.Screens);
        }
        else if (type.ValueEquals("alias"u8))
        {
            row.Start(WarehouseTables.Aliases, Scope.Properties, null);
            Common(in fields, ref row);
            AddText(fields.PreviousId, row.Values, PreviousId);
            rows.Add(row.Finish(upsert: false));
        }
    }

    private static void Track(in Fields fields, ref Flattener row, List<EventRow> rows)
    {
        var eventText = Text(fields.Event);
        var table = eventText is null ? null : WarehouseNames.Table(eventText);

        row.Start(WarehouseTables.Tracks, Scope.Properties, null);
        Common(in fields, ref row);
        if (table is not null)
        {
            row.Values[Event] = table;
        }

        if (eventText is not null)
        {
            row.Values[EventText] = eventText;
            if (table is null)
            {
                row.Discard(Event, eventText, NoTableReason);
            }
        }

        var tracks = row.Finish(upsert: false);
        rows.Add(tracks);
        if (table is null)
        {
            return;
        }

        var properties = fields.Properties.ValueKind == JsonValueKind.Object ? fields.Properties.GetPropertyCount() : 0;
        row.Start(table, Scope.Properties, Copy(tracks.Values, properties + 4));
        if (fields.Properties.ValueKind == JsonValueKind.Object)
        {
            row.Add(fields.Properties, PropertyNames.Properties, null);
        }

        rows.Add(row.Finish(upsert: false));
    }

    /// <summary>Identify and Group: a row of the call, and, when it has its id, an upsert row of the user or group.</summary>
    private static void WithTraits(in Fields fields, ref Flattener row, List<EventRow> rows, string table, string upsertTable, string? id)
    {
        row.Start(table, Scope.Properties, null);
        Common(in fields, ref row);
        if (table == WarehouseTables.Groups && id is not null)
        {
            row.Values[GroupId] = id;
        }

        var first = row.Values.Count;
        if (fields.Traits.ValueKind == JsonValueKind.Object)
        {
            row.Add(fields.Traits, PropertyNames.Properties, null);
        }

        var main = row.Finish(upsert: false);
        rows.Add(main);
        if (id is null)
        {
            return;
        }

        var values = new OrderedDictionary<string, object>(main.Values.Count - first + 2)
        {
            [Id] = id,
            [ReceivedAt] = main.Values[ReceivedAt],
        };
        for (var i = first; i < main.Values.Count; i++)
        {
            var (column, value) = main.Values.GetAt(i);
            values[column] = value;
        }

        List<Discard>? discards = null;
        if (main.Discards is { } mainDiscards)
        {
            discards = new List<Discard>(mainDiscards.Count);
            foreach (var discard in mainDiscards)
            {
                discards.Add(discard with { Table = upsertTable });
            }
        }

        rows.Add(new EventRow(upsertTable, true, main.EventId, main.ReceivedAt, values, discards));
    }

    private static void Page(in Fields fields, ref Flattener row, List<EventRow> rows, string table)
    {
        row.Start(table, Scope.PageProperties, null);
        Common(in fields, ref row);
        row.PageName = AddText(fields.Name, row.Values, Name);
        row.PageCategory = AddText(fields.Category, row.Values, Category);
        if (fields.Properties.ValueKind == JsonValueKind.Object)
        {
            row.Add(fields.Properties, PropertyNames.Properties, null);
        }

        rows.Add(row.Finish(upsert: false));
    }

    /// <summary>The columns every event table has: ids, times and the flattened context.</summary>
    private static void Common(in Fields fields, ref Flattener row)
    {
        var values = row.Values;
        values[Id] = row.EventId;
        values[ReceivedAt] = row.ReceivedAt;
        AddTime(fields.SentAt, values, SentAt);
        AddTime(fields.Timestamp, values, Timestamp);
        AddTime(fields.OriginalTimestamp, values, OriginalTimestamp);
        AddText(fields.AnonymousId, values, AnonymousId);
        AddText(fields.UserId, values, UserId);
        if (fields.Context.ValueKind == JsonValueKind.Object)
        {
            var scope = row.Scope;
            row.Scope = Scope.Context;
            row.Add(fields.Context, PropertyNames.Context, null);
            row.Scope = scope;
        }
    }

    private static void AddTime(JsonElement element, OrderedDictionary<string, object> values, string column)
    {
        if (WarehouseValues.Timestamp(element) is { } time)
        {
            values[column] = time;
        }
    }

    private static string? AddText(JsonElement element, OrderedDictionary<string, object> values, string column)
    {
        var text = Text(element);
        if (text is not null)
        {
            values[column] = text;
        }

        return text;
    }

    /// <summary>A top-level field as text: a non-empty string, or a number's JSON text; else null.</summary>
    private static string? Text(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString() is { Length: > 0 } text ? text : null,
        JsonValueKind.Number => element.GetRawText(),
        _ => null,
    };

    private static OrderedDictionary<string, object> Copy(OrderedDictionary<string, object> source, int more)
    {
        var copy = new OrderedDictionary<string, object>(source.Count + more);
        foreach (var (column, value) in source)
        {
            copy.Add(column, value);
        }

        return copy;
    }

    /// <summary>The top-level fields of an event that the warehouse uses, read in one pass over its members.</summary>
    private struct Fields
    {
        public JsonElement Type;
        public JsonElement MessageId;
        public JsonElement ReceivedAt;
        public JsonElement SentAt;
        public JsonElement Timestamp;
        public JsonElement OriginalTimestamp;
        public JsonElement AnonymousId;
        public JsonElement UserId;
        public JsonElement GroupId;
        public JsonElement PreviousId;
        public JsonElement Event;
        public JsonElement Name;
        public JsonElement Category;
        public JsonElement Properties;
        public JsonElement Traits;
        public JsonElement Context;

        public static Fields Read(JsonElement message)
        {
            var fields = default(Fields);
            foreach (var property in message.EnumerateObject())
            {
                var name = JsonMarshal.GetRawUtf8PropertyName(property);
                var value = property.Value;
                switch (name.Length)
                {
                    case 4 when name.SequenceEqual("type"u8):
                        fields.Type = value;
                        break;
                    case 4 when name.SequenceEqual("name"u8):
                        fields.Name = value;
                        break;
                    case 5 when name.SequenceEqual("event"u8):
                        fields.Event = value;
                        break;
                    case 6 when name.SequenceEqual("userId"u8):
                        fields.UserId = value;
                        break;
                    case 6 when name.SequenceEqual("sentAt"u8):
                        fields.SentAt = value;
                        break;
                    case 6 when name.SequenceEqual("traits"u8):
                        fields.Traits = value;
                        break;
                    case 7 when name.SequenceEqual("groupId"u8):
                        fields.GroupId = value;
                        break;
                    case 7 when name.SequenceEqual("context"u8):
                        fields.Context = value;
                        break;
                    case 8 when name.SequenceEqual("category"u8):
                        fields.Category = value;
                        break;
                    case 9 when name.SequenceEqual("messageId"u8):
                        fields.MessageId = value;
                        break;
                    case 9 when name.SequenceEqual("timestamp"u8):
                        fields.Timestamp = value;
                        break;
                    case 10 when name.SequenceEqual("receivedAt"u8):
                        fields.ReceivedAt = value;
                        break;
                    case 10 when name.SequenceEqual("previousId"u8):
                        fields.PreviousId = value;
                        break;
                    case 10 when name.SequenceEqual("properties"u8):
                        fields.Properties = value;
                        break;
                    case 11 when name.SequenceEqual("anonymousId"u8):
                        fields.AnonymousId = value;
                        break;
                    case 17 when name.SequenceEqual("originalTimestamp"u8):
                        fields.OriginalTimestamp = value;
                        break;
                }
            }

            return fields;
        }
    }
}
