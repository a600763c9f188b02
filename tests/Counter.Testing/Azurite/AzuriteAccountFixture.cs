namespace Counter.Testing.Azurite;

/// <summary>A whole storage account in Azurite (blob, queue and table), as the Durable Task backend needs.</summary>
public sealed class AzuriteAccountFixture() : AzuriteFixture(wholeAccount: true);
