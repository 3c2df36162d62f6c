#Requires -Version 7.2
<#
.SYNOPSIS
    In-session figures against a running emulator: call overhead, bulk assignments, the
    recipe with and without a replication delay, memory growth. Writes one JSON object.
.DESCRIPTION
    Started by bench/bench.ps1 in a fresh pwsh whose SSL_CERT_FILE is the emulator's CA, so
    Invoke-RestMethod checks the emulator's certificate like the module does.
#>
[CmdletBinding()]
param (
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $StateFile,
    [Parameter(Mandatory)] [string] $OutFile,
    [int] $Runs = 5,
    [int] $Calls = 200,
    [int] $MemoryCalls = 10000,
    [int] $BulkCount = 200,
    [int] $ReplicationDelaySeconds = 20
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

function Get-Stats {
    param ([double[]] $Values)
    $sorted = @($Values | Sort-Object)
    $n = $sorted.Count
    $median = if ($n % 2) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
    [ordered]@{ min = [math]::Round($sorted[0], 3); median = [math]::Round($median, 3); max = [math]::Round($sorted[-1], 3); runs = $n }
}

function Measure-Ms {
    param ([scriptblock] $Script)
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $null = & $Script
    $watch.Elapsed.TotalMilliseconds
}

$state = Get-Content -LiteralPath $StateFile -Raw | ConvertFrom-Json
Import-Module -Name $ModulePath
$secret = [System.Security.SecureString]::new()
foreach ($c in ([string]$state.clientSecret).ToCharArray()) { $secret.AppendChar($c) }
$connect = @{
    ServicePrincipal  = $true
    TenantId          = $state.tenantId
    ApplicationId     = $state.clientId
    ClientSecret      = $secret
    SubscriptionId    = $state.subscriptionId
    ArmEndpoint       = $state.endpoint
    AuthorityHost     = $state.authorityHost
    Audience          = $state.audience
    CaCertificatePath = $state.caCertificatePath
}
$null = Connect-AibAccount @connect
$sub = $state.subscriptionId
$control = $state.controlEndpoint

function Set-Fault {
    param ([hashtable] $Faults)
    $null = Invoke-RestMethod -Method Put -Uri "$control/faults" -Body ($Faults | ConvertTo-Json) -ContentType 'application/json'
}

function New-Group {
    param ([string] $Name)
    & (Get-Module -Name AibPermissions) {
        param ($s, $r)
        $null = Invoke-AibNative -Operation 'resourceGroup.createOrUpdate' -Request @{ subscriptionId = $s; resourceGroupName = $r; location = 'westus2' }
    } $sub $Name
}

$result = [ordered]@{}
Set-Fault @{}
New-Group 'bench-calls'
$identity = New-AibUserAssignedIdentity -Name 'benchIdentity' -ResourceGroupName 'bench-calls' -SubscriptionId $sub
$scope = "/subscriptions/$sub/resourceGroups/bench-calls"
$null = New-AibRoleAssignment -ObjectId $identity.PrincipalId -RoleDefinitionName 'Reader' -Scope $scope -ObjectType ServicePrincipal

# Call overhead: one page of role assignments at a scope, three ways, in turn.
$listRequest = @{ scope = $scope; principalId = $identity.PrincipalId }
$module = Get-Module -Name AibPermissions
$moduleCall = { & $module { param ($r) Invoke-AibNative -Operation 'roleAssignment.list' -Request $r } $listRequest }
$tokenAnswer = Invoke-RestMethod -Method Post -Uri "$($state.authorityHost)/$($state.tenantId)/oauth2/v2.0/token" -Body @{
    grant_type = 'client_credentials'; client_id = $state.clientId; client_secret = $state.clientSecret; scope = 'https://management.azure.com/.default'
}
$headers = @{ Authorization = "Bearer $($tokenAnswer.access_token)" }
$filter = [uri]::EscapeDataString("principalId eq '$($identity.PrincipalId)'")
$restUri = "$($state.endpoint)$scope/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&`$filter=$filter"
$restCall = { Invoke-RestMethod -Uri $restUri -Headers $headers }
$tokenAnswer = $null
foreach ($i in 1..20) { $null = & $moduleCall; $null = & $restCall }
$moduleMs = [System.Collections.Generic.List[double]]::new()
$restMs = [System.Collections.Generic.List[double]]::new()
$ratio = [System.Collections.Generic.List[double]]::new()
foreach ($r in 1..$Runs) {
    $m = (Measure-Ms { foreach ($i in 1..$Calls) { & $moduleCall } }) / $Calls
    $h = (Measure-Ms { foreach ($i in 1..$Calls) { & $restCall } }) / $Calls
    $moduleMs.Add($m); $restMs.Add($h); $ratio.Add($m / $h)
}
$result.callOverhead = [ordered]@{
    calls           = $Calls
    moduleMs        = Get-Stats $moduleMs
    invokeRestMs    = Get-Stats $restMs
    moduleOverRest  = Get-Stats $ratio
}
$headers = $null

# Memory: resident size after a full collection, before and after many calls.
function Get-ResidentMb {
    [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
    $p = [System.Diagnostics.Process]::GetCurrentProcess()
    $p.Refresh()
    $p.WorkingSet64 / 1MB
}
$samples = [System.Collections.Generic.List[double]]::new()
$samples.Add((Get-ResidentMb))
$step = [math]::Max(1, [int]($MemoryCalls / 4))
for ($done = 0; $done -lt $MemoryCalls; $done += $step) {
    foreach ($i in 1..$step) { $null = & $moduleCall }
    $samples.Add((Get-ResidentMb))
}
$result.memory = [ordered]@{
    calls       = $MemoryCalls
    residentMb  = @($samples | ForEach-Object { [math]::Round($_, 1) })
    growthMb    = [math]::Round($samples[-1] - $samples[0], 1)
}

# Bulk: assignments over many scopes with writes limited to 20 per second (1200 a minute).
foreach ($i in 1..$BulkCount) { New-Group ('bench-bulk-{0:d3}' -f $i) }
$bulkSeconds = [System.Collections.Generic.List[double]]::new()
$bulkRatio = [System.Collections.Generic.List[double]]::new()
$bulkErrors = 0
$ideal = $BulkCount / 20.0
foreach ($r in 1..[math]::Max(1, [int]($Runs / 2))) {
    $bulkIdentity = New-AibUserAssignedIdentity -Name "benchBulk$r" -ResourceGroupName 'bench-calls' -SubscriptionId $sub
    Set-Fault @{ writesPerMinute = 1200 }
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    foreach ($i in 1..$BulkCount) {
        try {
            $null = New-AibRoleAssignment -ObjectId $bulkIdentity.PrincipalId -RoleDefinitionName 'Reader' -Scope ("/subscriptions/$sub/resourceGroups/bench-bulk-{0:d3}" -f $i) -ObjectType ServicePrincipal
        } catch {
            $bulkErrors++
        }
    }
    $s = $watch.Elapsed.TotalSeconds
    Set-Fault @{}
    $bulkSeconds.Add($s); $bulkRatio.Add($s / $ideal)
}
$dump = Invoke-RestMethod -Uri "$control/state"
$keys = @($dump.roleAssignments | ForEach-Object { "$($_.properties.scope)|$($_.properties.roleDefinitionId)|$($_.properties.principalId)".ToLowerInvariant() })
$result.bulk = [ordered]@{
    assignments        = $BulkCount
    writesPerMinute    = 1200
    idealSeconds       = $ideal
    seconds            = Get-Stats $bulkSeconds
    overIdeal          = Get-Stats $bulkRatio
    errors             = $bulkErrors
    duplicates         = $keys.Count - @($keys | Sort-Object -Unique).Count
}

# Recipe: identity, two roles, two assignments, in a warm session; each run on new groups.
function Invoke-Recipe {
    param ([int] $Run, [string] $Tag)
    $img = "bench-$Tag-$Run-img"; $net = "bench-$Tag-$Run-net"
    New-Group $img; New-Group $net
    $seconds = Measure-Ms {
        $id = New-AibUserAssignedIdentity -Name "benchRecipe$Tag$Run" -ResourceGroupName $img -SubscriptionId $sub
        $imageRole = New-AibRoleDefinition -Scenario ImageCreation -SubscriptionId $sub -ResourceGroupName $img
        $networkRole = New-AibRoleDefinition -Scenario Networking -SubscriptionId $sub -ResourceGroupName $net
        $null = $id | New-AibRoleAssignment -RoleDefinitionId $imageRole.Id -ResourceGroupName $img -SubscriptionId $sub -ObjectType ServicePrincipal
        $null = $id | New-AibRoleAssignment -RoleDefinitionId $networkRole.Id -ResourceGroupName $net -SubscriptionId $sub -ObjectType ServicePrincipal
    }
    $seconds / 1000
}
$null = Invoke-Recipe -Run 0 -Tag 'warm'
$plain = [System.Collections.Generic.List[double]]::new()
foreach ($r in 1..$Runs) { $plain.Add((Invoke-Recipe -Run $r -Tag 'fast') * 1000) }
$delayed = [System.Collections.Generic.List[double]]::new()
$delayedOver = [System.Collections.Generic.List[double]]::new()
Set-Fault @{ replicationDelaySeconds = $ReplicationDelaySeconds }
foreach ($r in 1..[math]::Max(1, [int]($Runs / 2))) {
    $s = Invoke-Recipe -Run $r -Tag 'slow'
    $delayed.Add($s); $delayedOver.Add($s - $ReplicationDelaySeconds)
}
Set-Fault @{}
$result.recipe = [ordered]@{
    warmMs                 = Get-Stats $plain
    replicationDelaySeconds = $ReplicationDelaySeconds
    delayedSeconds         = Get-Stats $delayed
    delayedOverDelaySeconds = Get-Stats $delayedOver
}

$result | ConvertTo-Json -Depth 6 | Set-Content -LiteralPath $OutFile -Encoding utf8NoBOM
