#Requires -Version 7.2
<#
.SYNOPSIS
    Measures AibPermissions: import cost, call overhead, bulk assignments, the recipe, memory
    growth and the emulator's throughput. Writes out/bench.json and prints a table.
.DESCRIPTION
    Each figure is min/median/max over repeated runs, measured side by side with what it is
    compared to. Nothing here passes or fails: the figures are for reading.
    Run through `pwsh ./build.ps1 bench`, which stages the module first.
.PARAMETER Runs
    Repeated runs per figure (the slow ones use half as many, at least one).
.PARAMETER Quick
    Fewer calls and a 5 s replication delay, for a fast look.
#>
[CmdletBinding()]
param (
    [ValidateRange(1, 50)] [int] $Runs = 5,
    [switch] $Quick,
    [string] $OutFile
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$repoRoot = Split-Path -Parent $PSScriptRoot
$outDir = Join-Path -Path $repoRoot -ChildPath 'out'
if (-not $OutFile) { $OutFile = Join-Path -Path $outDir -ChildPath 'bench.json' }
$modulePath = Join-Path -Path $outDir -ChildPath 'AibPermissions/AibPermissions.psd1'
if (-not (Test-Path -LiteralPath $modulePath)) { throw "$modulePath is missing: run 'pwsh ./build.ps1 build' first" }
$pwshPath = (Get-Command -Name pwsh -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
if (-not $pwshPath) { $pwshPath = (Get-Process -Id $PID).Path }

function Get-Stats {
    param ([double[]] $Values)
    $sorted = @($Values | Sort-Object)
    $n = $sorted.Count
    $median = if ($n % 2) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
    [ordered]@{ min = [math]::Round($sorted[0], 3); median = [math]::Round($median, 3); max = [math]::Round($sorted[-1], 3); runs = $n }
}

function Measure-ProcessMs {
    param ([string[]] $ArgumentList)
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    & $pwshPath @ArgumentList | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "pwsh $($ArgumentList -join ' ') exited $LASTEXITCODE" }
    $watch.Elapsed.TotalMilliseconds
}

function Get-JsonLine {
    # The last line of a cargo bench's output that parses as a JSON object.
    param ([string[]] $Lines)
    $json = @($Lines | Where-Object { $_ -match '^\{.*\}$' })[-1]
    if (-not $json) { throw "no JSON line in:`n$($Lines -join "`n")" }
    $json | ConvertFrom-Json
}

$cpu = (Get-Content -LiteralPath '/proc/cpuinfo' -ErrorAction SilentlyContinue | Where-Object { $_ -like 'model name*' } | Select-Object -First 1) -replace '^model name\s*:\s*', ''
$report = [ordered]@{
    date    = (Get-Date).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ')
    machine = [ordered]@{ nproc = [Environment]::ProcessorCount; cpu = $cpu; os = [System.Runtime.InteropServices.RuntimeInformation]::OSDescription; pwsh = $PSVersionTable.PSVersion.ToString() }
}

Write-Information -MessageData '==> import cost' -InformationAction Continue
$bare = @(); $imported = @(); $cost = @(); $ratio = @()
$null = Measure-ProcessMs @('-NoProfile', '-Command', 'exit')
$null = Measure-ProcessMs @('-NoProfile', '-Command', "Import-Module '$modulePath'")
foreach ($r in 1..$Runs) {
    $b = Measure-ProcessMs @('-NoProfile', '-Command', 'exit')
    $i = Measure-ProcessMs @('-NoProfile', '-Command', "Import-Module '$modulePath'")
    $bare += $b; $imported += $i; $cost += ($i - $b); $ratio += ($i / $b)
}
$report.import = [ordered]@{ bareMs = Get-Stats $bare; importMs = Get-Stats $imported; costMs = Get-Stats $cost; importOverBare = Get-Stats $ratio }

Write-Information -MessageData '==> emulator throughput (cargo bench)' -InformationAction Continue
$get = @(); $put = @()
foreach ($r in 1..[math]::Max(1, [int]($Runs / 2))) {
    $env:AIBPERM_BENCH_REQUESTS = if ($Quick) { '2000' } else { '5000' }
    $lines = & cargo bench --quiet -p aibperm-emulator --bench throughput 2>$null
    if ($LASTEXITCODE -ne 0) { throw "cargo bench throughput exited $LASTEXITCODE" }
    $line = Get-JsonLine $lines
    $get += [double]$line.getPerSecond; $put += [double]$line.putPerSecond
}
Remove-Item -Path Env:AIBPERM_BENCH_REQUESTS
$report.emulator = [ordered]@{ getPerSecond = Get-Stats $get; putPerSecond = Get-Stats $put }

Write-Information -MessageData '==> Rust client call (cargo bench)' -InformationAction Continue
$env:AIBPERM_BENCH_RUNS = "$Runs"
$env:AIBPERM_BENCH_CALLS = if ($Quick) { '50' } else { '200' }
$lines = & cargo bench --quiet -p aibperm --bench client_calls 2>$null
if ($LASTEXITCODE -ne 0) { throw "cargo bench client_calls exited $LASTEXITCODE" }
Remove-Item -Path Env:AIBPERM_BENCH_RUNS, Env:AIBPERM_BENCH_CALLS
$rust = Get-JsonLine $lines

Write-Information -MessageData '==> session figures against the emulator' -InformationAction Continue
Import-Module -Name $modulePath -Force
$emulator = Start-AibEmulator
$sessionOut = Join-Path -Path ([System.IO.Path]::GetTempPath()) -ChildPath ("aibperm-bench-{0}.json" -f [guid]::NewGuid())
try {
    $caPath = (Get-Content -LiteralPath $emulator.StateFilePath -Raw | ConvertFrom-Json).caCertificatePath
    $sessionArgs = @(
        '-NoProfile', '-NonInteractive', '-File', (Join-Path -Path $PSScriptRoot -ChildPath 'session.ps1'),
        '-ModulePath', $modulePath, '-StateFile', $emulator.StateFilePath, '-OutFile', $sessionOut, '-Runs', "$Runs"
    )
    if ($Quick) { $sessionArgs += @('-Calls', '50', '-MemoryCalls', '2000', '-BulkCount', '50', '-ReplicationDelaySeconds', '5') }
    # Invoke-RestMethod in the child trusts the emulator's CA, and only it.
    $env:SSL_CERT_FILE = $caPath
    try {
        & $pwshPath @sessionArgs
        if ($LASTEXITCODE -ne 0) { throw "bench/session.ps1 exited $LASTEXITCODE" }
    } finally {
        Remove-Item -Path Env:SSL_CERT_FILE
    }
    $session = Get-Content -LiteralPath $sessionOut -Raw | ConvertFrom-Json -AsHashtable
} finally {
    Stop-AibEmulator
    Remove-Item -LiteralPath $sessionOut -ErrorAction SilentlyContinue
}

$overMs = [double]$session.callOverhead.moduleMs.median - [double]$rust.ffiMs.median
$report.callOverhead = [ordered]@{
    calls            = $session.callOverhead.calls
    moduleMs         = $session.callOverhead.moduleMs
    invokeRestMs     = $session.callOverhead.invokeRestMs
    moduleOverRest   = $session.callOverhead.moduleOverRest
    rustClientMs     = $rust.clientMs
    rustCAbiMs       = $rust.ffiMs
    moduleMinusCAbiMedianMs = [math]::Round($overMs, 3)
}
$report.bulk = $session.bulk
$report.recipe = $session.recipe
$report.memory = $session.memory

$null = New-Item -ItemType Directory -Path (Split-Path -Parent $OutFile) -Force
$report | ConvertTo-Json -Depth 8 | Set-Content -LiteralPath $OutFile -Encoding utf8NoBOM

function Format-Stat {
    param ($S, [string] $Unit = '')
    '{0} / {1} / {2}{3}' -f $S.min, $S.median, $S.max, $Unit
}
$rows = @(
    [pscustomobject]@{ Figure = 'import cost (import - bare pwsh)'; 'min / median / max' = Format-Stat $report.import.costMs ' ms'; Compared = 'ratio to bare: ' + (Format-Stat $report.import.importOverBare); Target = '<= 150 ms' }
    [pscustomobject]@{ Figure = 'call: module, list assignments'; 'min / median / max' = Format-Stat $report.callOverhead.moduleMs ' ms'; Compared = 'over Invoke-RestMethod: ' + (Format-Stat $report.callOverhead.moduleOverRest); Target = '<= 1.0x' }
    [pscustomobject]@{ Figure = 'call: Invoke-RestMethod, same token'; 'min / median / max' = Format-Stat $report.callOverhead.invokeRestMs ' ms'; Compared = ''; Target = '' }
    [pscustomobject]@{ Figure = 'call: Rust client / C ABI'; 'min / median / max' = (Format-Stat $report.callOverhead.rustClientMs ' ms') + ' | ' + (Format-Stat $report.callOverhead.rustCAbiMs ' ms'); Compared = "module - C ABI median: $($report.callOverhead.moduleMinusCAbiMedianMs) ms"; Target = '<= 2 ms' }
    [pscustomobject]@{ Figure = "bulk: $($report.bulk.assignments) assignments, 1200 writes/min"; 'min / median / max' = Format-Stat $report.bulk.seconds ' s'; Compared = 'over ideal: ' + (Format-Stat $report.bulk.overIdeal) + "; errors $($report.bulk.errors), duplicates $($report.bulk.duplicates)"; Target = '<= 1.15' }
    [pscustomobject]@{ Figure = 'recipe warm, no delay'; 'min / median / max' = Format-Stat $report.recipe.warmMs ' ms'; Compared = ''; Target = '<= 300 ms' }
    [pscustomobject]@{ Figure = "recipe, $($report.recipe.replicationDelaySeconds) s replication delay"; 'min / median / max' = Format-Stat $report.recipe.delayedSeconds ' s'; Compared = 'over the delay: ' + (Format-Stat $report.recipe.delayedOverDelaySeconds ' s'); Target = '<= delay + 2 s' }
    [pscustomobject]@{ Figure = "memory over $($report.memory.calls) calls"; 'min / median / max' = "$($report.memory.growthMb) MB growth"; Compared = 'resident MB: ' + ($report.memory.residentMb -join ', '); Target = '<= 5 MB' }
    [pscustomobject]@{ Figure = 'emulator GET/s | PUT/s'; 'min / median / max' = (Format-Stat $report.emulator.getPerSecond) + ' | ' + (Format-Stat $report.emulator.putPerSecond); Compared = ''; Target = '' }
)
Write-Output ("machine: {0} processors, {1}; {2}" -f $report.machine.nproc, $report.machine.cpu, $report.machine.os)
Write-Output ($rows | Format-Table -Wrap -AutoSize | Out-String -Width 200)
Write-Output "written: $OutFile"
