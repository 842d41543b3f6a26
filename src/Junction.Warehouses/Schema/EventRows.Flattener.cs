using System.Text.Json;
using static Junction.Warehouses.Schema.WarehouseColumns;

namespace Junction.Warehouses.Schema;

/// <content>Building one row: flattening objects into columns under the naming rules.</content>
internal static partial class EventRows
{
    /// <summary>Which object a row is flattening: it decides which names are the event's own.</summary>
    private enum Scope
    {
        /// <summary><c>context</c>: its <c>context_*</c> columns are the event's own, never prefixed.</summary>
        Context,

        /// <summary>Properties or traits: a name of the event's own columns gets a <c>_</c> prefix.</summary>
        Properties,

        /// <summary>Properties of a Page or Screen: <c>name</c> and <c>category</c> are the call's own too.</summary>
        PageProperties,
    }

    /// <summary>Builds one row: flattens objects into its values under the naming rules, and keeps its discards.</summary>
    private struct Flattener(string eventId, DateTimeOffset receivedAt)
    {
        public readonly string EventId = eventId;
        public readonly DateTimeOffset ReceivedAt = receivedAt;
        public string Table = string.Empty;
        public Scope Scope;
        public OrderedDictionary<string, object> Values = null!;
        public string? PageName;
        public string? PageCategory;
        private List<Discard>? _discards;

        /// <summary>Starts a row of <paramref name="table"/>, with <paramref name="values"/> or empty.</summary>
        public void Start(string table, Scope scope, OrderedDictionary<string, object>? values)
        {
            Table = table;
            Scope = scope;
            Values = values ?? new OrderedDictionary<string, object>(RowCapacity);
            PageName = null;
            PageCategory = null;
            _discards = null;
        }

        public readonly EventRow Finish(bool upsert) => new(Table, upsert, EventId, ReceivedAt, Values, _discards);

        public void Discard(string column, object value, string reason) =>
            (_discards ??= []).Add(new Discard(Table, column, WarehouseValues.ToText(value), reason, EventId, ReceivedAt));

        /// <summary>Adds the members of <paramref name="json"/>, an object whose members are named by <paramref name="names"/>.</summary>
        /// <param name="json">The object.</param>
        /// <param name="names">The names of its members.</param>
        /// <param name="rawParent">Its path as written, only while its snake_case path is empty (for the discard of a nameless value).</param>
        public void Add(JsonElement json, PropertyNames names, string? rawParent)
        {
            foreach (var property in json.EnumerateObject())
            {
                var element = property.Value;
                var kind = element.ValueKind;
                if (kind is JsonValueKind.Null or JsonValueKind.Undefined)
                {
                    continue;
                }

                var name = names.Get(property);
                if (kind == JsonValueKind.Object)
                {
                    Add(element, name.Members, name.Path.Length == 0 ? RawPath(rawParent, property.Name) : null);
                    continue;
                }

                var value = WarehouseValues.FromJson(element)!;
                if (name.Column is not { } column)
                {
                    Discard(RawPath(rawParent, property.Name), value, NoNameReason);
                    continue;
                }

                if (Scope == Scope.Properties ? name.Reserved : Scope == Scope.PageProperties && name.ReservedOnPages)
                {
                    if (Scope == Scope.PageProperties && RepeatsTopLevel(column, value))
                    {
                        continue;
                    }

                    column = name.Prefixed!;
                }

                Values[column] = value;
            }
        }

        /// <summary>analytics.js copies a page's name and category into its properties; the copy adds nothing.</summary>
        private readonly bool RepeatsTopLevel(string column, object value) =>
            value is string text && (column == Name ? text == PageName : column == Category && text == PageCategory);

        private static string RawPath(string? parent, string key) => parent is null ? key : parent + "." + key;
    }
}
