using System.Text.Json.Nodes;
using Junction.Warehouses.ControlPlane;
using Junction.Web.Warehouses;
using Junction.Workspace;

namespace Junction.Web.Tests.Warehouses;

/// <summary>The connection settings form's model: defaults, what is sent for a new warehouse, and what is sent as a change.</summary>
public sealed class WarehouseDraftTests
{
    [Fact]
    public void ANewPostgresFormStartsAtTheCatalogsDefaultsAndSendsNumbersAsNumbers()
    {
        var draft = WarehouseDraft.ForNew(WarehouseCatalog.Postgres);

        Assert.Equal(["host", "port", "database", "user", "password", "sslMode"], draft.Fields.Select(f => f.Name));
        Assert.Equal("5432", draft.Find("port")!.Text);
        Assert.Equal("prefer", draft.Find("sslMode")!.Text);
        Assert.True(draft.Find("password")!.Replacing);

        draft.Find("host")!.Text = " db.example.com ";
        draft.Find("password")!.Text = " secret with spaces ";
        Assert.Equal(
            """{"host":"db.example.com","port":5432,"password":" secret with spaces ","sslMode":"prefer"}""",
            draft.All().GetRawText());
    }

    [Fact]
    public void ANewDuckDbFormWithAnEmptyPathSendsNoSettingsAtAll()
    {
        var draft = WarehouseDraft.ForNew(WarehouseCatalog.DuckDb);

        Assert.Equal("", Assert.Single(draft.Fields).Text);
        Assert.Equal("{}", draft.All().GetRawText());
    }

    [Theory]
    [InlineData("5433", null)]
    [InlineData("", null)]
    [InlineData("ten", "Enter a whole number.")]
    [InlineData("2.5", "Enter a whole number.")]
    [InlineData("70000", "Enter a port from 1 to 65535.")]
    [InlineData("0", "Enter a port from 1 to 65535.")]
    public void APortIsCheckedAsItIsTyped(string typed, string? error)
    {
        var port = WarehouseDraft.ForNew(WarehouseCatalog.Postgres).Find("port")!;
        port.Text = typed;

        WarehouseDraft.Check(port);

        Assert.Equal(error, port.Error);
    }

    [Fact]
    public void ASavedFormSendsOnlyWhatChangedAndASecretOnlyWhenReplaced()
    {
        var saved = JsonNode.Parse("""{"host":"db","port":5432,"database":"a","user":"u","password":"••••abcd","sslMode":"prefer"}""")!.AsObject();
        var draft = WarehouseDraft.ForSaved(WarehouseCatalog.Postgres, saved);

        Assert.Null(draft.Changes());
        Assert.Equal("••••abcd", draft.Find("password")!.StoredMask);
        Assert.False(draft.Find("password")!.Replacing);
        Assert.True(draft.KeepsASavedSecret);

        draft.Find("database")!.Text = "analytics";
        draft.Find("port")!.Text = "";
        Assert.Equal("""{"port":null,"database":"analytics"}""", draft.Changes()!.Value.GetRawText());

        draft.Find("password")!.Replacing = true;
        Assert.Equal("""{"port":null,"database":"analytics"}""", draft.Changes()!.Value.GetRawText());
        draft.Find("password")!.Text = "new-secret";
        Assert.Equal("""{"port":null,"database":"analytics","password":"new-secret"}""", draft.Changes()!.Value.GetRawText());
    }

    [Fact]
    public void ARefusalAboutASettingFindsItsField()
    {
        var draft = WarehouseDraft.ForNew(WarehouseCatalog.Postgres);

        Assert.Equal("host", draft.FieldOf(Problem.Invalid("settings.host (Host) is required for a PostgreSQL warehouse.", "settings.host"))!.Name);
        Assert.Null(draft.FieldOf(Problem.Invalid("name must be 1 to 200 characters and not only spaces.", "name")));
    }
}
