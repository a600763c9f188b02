using Counter.Testing.Azurite;

namespace Counter.Storage.Tests.Tables;

/// <summary>The Table Storage tests share one Azurite (xunit needs the collection defined in the test assembly).</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
