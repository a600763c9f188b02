using 'main.bicep'

// An example environment: a small development deployment in West Europe.
param location = 'westeurope'
param namePrefix = 'counterdev'
param dotnetVersion = '10.0'
param instanceMemoryMB = 2048
param maximumInstanceCount = 40
param shardCount = 4
param shardMinIncrementsToGlobal = 100
param shardWriteToGlobalAfter = '00:00:05'
param globalMinWritesToSnapshot = 100
param globalWriteToSnapshotAfter = '00:00:05'
// The hash of the operators' key; the key itself stays with them (docs/api.md, "Keys").
param operatorKeyHashes = [
  '0000000000000000000000000000000000000000000000000000000000000000'
]
// The sites whose pages may call the app from a browser.
param corsAllowedOrigins = [
  'https://blog.example'
]
