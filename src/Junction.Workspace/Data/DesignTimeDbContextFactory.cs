using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Junction.Workspace.Data;

/// <summary>
/// Builds the context for the EF Core tools, so that
/// <c>dotnet ef migrations add NAME --project src/Junction.Workspace --output-dir Data/Migrations</c> works without
/// starting the app. Adding a migration only reads the model; the database named here is opened only by
/// <c>dotnet ef database update</c>, which Junction never needs (it migrates at start-up).
/// </summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<JunctionDbContext>
{
    public JunctionDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<JunctionDbContext>().UseSqlite("Data Source=junction.db").Options);
}
