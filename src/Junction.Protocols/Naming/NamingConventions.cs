namespace Junction.Protocols.Naming;

/// <summary>How event names should be written. Stored by the names <see cref="NamingConventions"/> gives.</summary>
internal enum EventNamingConvention
{
    /// <summary>Segment's recommendation: an object and an action in Title Case, <c>Menu Clicked</c> (the default).</summary>
    TitleCaseObjectAction,

    /// <summary><c>menu_clicked</c>.</summary>
    SnakeCase,

    /// <summary><c>menuClicked</c>.</summary>
    CamelCase,

    /// <summary><c>MenuClicked</c>.</summary>
    PascalCase,
}

/// <summary>How property (and trait) names should be written. Stored by the names <see cref="NamingConventions"/> gives.</summary>
internal enum PropertyNamingConvention
{
    /// <summary>Segment's recommendation: <c>product_id</c> (the default).</summary>
    SnakeCase,

    /// <summary><c>productId</c>.</summary>
    CamelCase,

    /// <summary><c>ProductId</c>.</summary>
    PascalCase,
}

/// <summary>The stable names of the conventions, for storage and the Public API, and the way each is described.</summary>
internal static class NamingConventions
{
    public const EventNamingConvention DefaultEvent = EventNamingConvention.TitleCaseObjectAction;

    public const PropertyNamingConvention DefaultProperty = PropertyNamingConvention.SnakeCase;

    public static string Name(EventNamingConvention convention) => convention switch
    {
        EventNamingConvention.TitleCaseObjectAction => "title-case-object-action",
        EventNamingConvention.SnakeCase => "snake-case",
        EventNamingConvention.CamelCase => "camel-case",
        EventNamingConvention.PascalCase => "pascal-case",
        _ => throw new ArgumentOutOfRangeException(nameof(convention)),
    };

    public static string Name(PropertyNamingConvention convention) => convention switch
    {
        PropertyNamingConvention.SnakeCase => "snake-case",
        PropertyNamingConvention.CamelCase => "camel-case",
        PropertyNamingConvention.PascalCase => "pascal-case",
        _ => throw new ArgumentOutOfRangeException(nameof(convention)),
    };

    public static bool TryParseEvent(string? name, out EventNamingConvention convention)
    {
        (var known, convention) = name switch
        {
            "title-case-object-action" => (true, EventNamingConvention.TitleCaseObjectAction),
            "snake-case" => (true, EventNamingConvention.SnakeCase),
            "camel-case" => (true, EventNamingConvention.CamelCase),
            "pascal-case" => (true, EventNamingConvention.PascalCase),
            _ => (false, DefaultEvent),
        };
        return known;
    }

    public static bool TryParseProperty(string? name, out PropertyNamingConvention convention)
    {
        (var known, convention) = name switch
        {
            "snake-case" => (true, PropertyNamingConvention.SnakeCase),
            "camel-case" => (true, PropertyNamingConvention.CamelCase),
            "pascal-case" => (true, PropertyNamingConvention.PascalCase),
            _ => (false, DefaultProperty),
        };
        return known;
    }

    /// <summary>How the convention reads in the app: <c>Object Action in Title Case (Menu Clicked)</c>.</summary>
    public static string Describe(EventNamingConvention convention) => convention switch
    {
        EventNamingConvention.TitleCaseObjectAction => "Object Action in Title Case (Menu Clicked)",
        EventNamingConvention.SnakeCase => "snake_case (menu_clicked)",
        EventNamingConvention.CamelCase => "camelCase (menuClicked)",
        _ => "PascalCase (MenuClicked)",
    };

    public static string Describe(PropertyNamingConvention convention) => convention switch
    {
        PropertyNamingConvention.SnakeCase => "snake_case (product_id)",
        PropertyNamingConvention.CamelCase => "camelCase (productId)",
        _ => "PascalCase (ProductId)",
    };
}
