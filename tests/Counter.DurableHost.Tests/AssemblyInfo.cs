// Each test runs task hub workers and Azurite processes that compete for the same two cores; one test at a time keeps
// their timing far from the tests' deadlines.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
