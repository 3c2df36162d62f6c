#Requires -Version 7.2
<#
.SYNOPSIS
    Builds, tests and demonstrates AibPermissions: one entry point.

.DESCRIPTION
    Tasks:
      bootstrap  checks the toolchain (cargo, rustc, a C compiler, PowerShell 7) and installs
                 Pester 5.7.1 into out/modules when it is missing.
      build      release build of the Rust workspace (library and emulator), header
                 regeneration, and the module staged in out/AibPermissions.
      test       bootstrap, build, cargo tests, then the Pester suites against the staged module.
      demo       builds if needed, starts the emulator with a replication delay and runs
                 Grant-AibPermission -WhatIf, Grant-AibPermission, the rerun and Test-AibPermission.
      package    builds if needed and lays out a publishable module folder in
                 out/package/AibPermissions/<version>, with the native library of every RID
                 that was built (this machine's, and target/<triple>/release of cross builds);
                 it names the RIDs that are missing.
      bench      builds, then runs bench/bench.ps1: writes out/bench.json and prints the figures.

.PARAMETER Task
    The task to run: bootstrap, build, test, demo, bench or package.

.PARAMETER Tag
    For the test task: runs only the Pester containers with this tag (Unit, Module, Integration,
    Acceptance).

.PARAMETER SkipCargoTest
    For the test task: skips `cargo test` and runs Pester only.

.EXAMPLE
    pwsh ./build.ps1 test

    Runs every test and prints "N passed, N failed" per runner.

.EXAMPLE
    pwsh ./build.ps1 demo

    Runs the Image Builder permission recipe against a local emulator.
#>
[CmdletBinding()]
param (
    [Parameter(Position = 0)]
    [ValidateSet('bootstrap', 'build', 'test', 'demo', 'bench', 'package')]
    [string] $Task = 'build',

    [string[]] $Tag,

    [switch] $SkipCargoTest
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$repoRoot = $PSScriptRoot
$outDir = Join-Path -Path $repoRoot -ChildPath 'out'
$stageDir = Join-Path -Path $outDir -ChildPath 'AibPermissions'
$pesterVersion = '5.7.1'
$pesterDir = Join-Path -Path $outDir -ChildPath "modules/Pester/$pesterVersion"

function Write-Step {
    param ([string] $Message)
    # Build progress belongs on the information stream, visible by default.
    Write-Information -MessageData "==> $Message" -InformationAction Continue
}

function Get-Rid {
    $arch = [System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString().ToLowerInvariant()
    if ($IsWindows) { return "win-$arch" }
    if ($IsMacOS) { return "osx-$arch" }
    return "linux-$arch"
}

function Get-NativeFileName {
    if ($IsWindows) { return 'aibperm.dll' }
    if ($IsMacOS) { return 'libaibperm.dylib' }
    return 'libaibperm.so'
}

function Invoke-Native {
    # Runs an external program and stops the build when it fails.
    param ([string] $FilePath, [string[]] $ArgumentList)
    & $FilePath @ArgumentList
    if ($LASTEXITCODE -ne 0) {
        throw "'$FilePath $($ArgumentList -join ' ')' failed with exit code $LASTEXITCODE"
    }
}

function Invoke-Bootstrap {
    Write-Step 'checking the toolchain'
    $missing = New-Object -TypeName System.Collections.Generic.List[string]

    foreach ($tool in 'cargo', 'rustc') {
        if (-not (Get-Command -Name $tool -CommandType Application -ErrorAction SilentlyContinue)) {
            $missing.Add("$tool not found. Install Rust with rustup: https://rustup.rs (Windows: 'winget install Rustlang.Rustup'; Linux/macOS: the rustup shell installer), then open a new shell.")
        }
    }
    $cc = @('cc', 'gcc', 'clang', 'cl') | Where-Object { Get-Command -Name $_ -CommandType Application -ErrorAction SilentlyContinue }
    if (-not $cc) {
        $missing.Add('No C compiler found (needed by the header test). Windows: Visual Studio Build Tools with the C++ workload; Debian/Ubuntu: apt-get install build-essential; macOS: xcode-select --install.')
    }
    if ($PSVersionTable.PSVersion -lt [version]'7.2') {
        $missing.Add("PowerShell $($PSVersionTable.PSVersion) is too old to build; install PowerShell 7 (Windows: 'winget install Microsoft.PowerShell'; Linux/macOS: 'dotnet tool install --global PowerShell' or the packages at https://aka.ms/powershell).")
    }
    if ($missing.Count -gt 0) {
        throw ("Missing prerequisites:`n - " + ($missing -join "`n - "))
    }
    Write-Step "cargo: $(& cargo --version); pwsh: $($PSVersionTable.PSVersion)"

    Install-Pester
}

function Install-Pester {
    $psd1 = Join-Path -Path $pesterDir -ChildPath 'Pester.psd1'
    if (Test-Path -LiteralPath $psd1) { return }
    $installed = Get-Module -ListAvailable -Name Pester | Where-Object { $_.Version -eq [version]$pesterVersion }
    if ($installed) { return }

    $dotnet = Get-Command -Name dotnet -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $dotnet) {
        throw "Pester $pesterVersion is missing and dotnet is not available to fetch it. Run: Install-Module -Name Pester -RequiredVersion $pesterVersion -Scope CurrentUser -Force -SkipPublisherCheck"
    }

    Write-Step "installing Pester $pesterVersion with 'dotnet restore'"
    $restoreDir = Join-Path -Path $outDir -ChildPath 'pester-restore'
    $packagesDir = Join-Path -Path $restoreDir -ChildPath 'packages'
    $null = New-Item -ItemType Directory -Path $restoreDir -Force
    $project = @"
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>netstandard2.0</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="Pester" Version="[$pesterVersion]" />
  </ItemGroup>
</Project>
"@
    Set-Content -LiteralPath (Join-Path -Path $restoreDir -ChildPath 'PesterRestore.csproj') -Value $project -Encoding utf8NoBOM
    Invoke-Native -FilePath $dotnet.Source -ArgumentList @('restore', $restoreDir, '--packages', $packagesDir, '--verbosity', 'quiet')

    $tools = Join-Path -Path $packagesDir -ChildPath "pester/$pesterVersion/tools"
    if (-not (Test-Path -LiteralPath (Join-Path -Path $tools -ChildPath 'Pester.psd1'))) {
        throw "dotnet restore finished but $tools has no Pester.psd1"
    }
    $null = New-Item -ItemType Directory -Path $pesterDir -Force
    Copy-Item -Path (Join-Path -Path $tools -ChildPath '*') -Destination $pesterDir -Recurse -Force
    Write-Step "Pester $pesterVersion installed in $pesterDir"
}

function Import-Pester {
    $psd1 = Join-Path -Path $pesterDir -ChildPath 'Pester.psd1'
    if (Test-Path -LiteralPath $psd1) {
        Import-Module -Name $psd1 -Force
    } else {
        Import-Module -Name Pester -RequiredVersion $pesterVersion -Force
    }
}

function Invoke-Build {
    Write-Step 'cargo build --release --workspace'
    Invoke-Native -FilePath cargo -ArgumentList @('build', '--release', '--workspace')

    $headerTest = Join-Path -Path $repoRoot -ChildPath 'rust/aibperm/tests/ffi_header.rs'
    if (Test-Path -LiteralPath $headerTest) {
        Write-Step 'regenerating include/aibperm.h'
        $env:AIBPERM_BLESS_HEADER = '1'
        try {
            & cargo test --release -p aibperm --test ffi_header
            if ($LASTEXITCODE -ne 0) {
                # The header tests run again with the workspace tests, where they count as failures.
                Write-Warning "the header tests failed (exit code $LASTEXITCODE); include/aibperm.h may be stale"
            }
        } finally {
            Remove-Item -Path Env:AIBPERM_BLESS_HEADER
        }
        if ($env:CI) {
            # CI checks that the committed header is the generated one.
            & git -C $repoRoot diff --exit-code -- include/
            if ($LASTEXITCODE -ne 0) {
                throw 'include/aibperm.h differs from the generated header: run build.ps1 build and commit it'
            }
        }
    }

    Write-Step "staging $stageDir"
    $rid = Get-Rid
    $source = Join-Path -Path $repoRoot -ChildPath 'powershell/AibPermissions'
    if (Test-Path -LiteralPath $stageDir) {
        Remove-Item -LiteralPath $stageDir -Recurse -Force
    }
    $null = New-Item -ItemType Directory -Path $stageDir -Force
    Copy-Item -Path (Join-Path -Path $source -ChildPath '*') -Destination $stageDir -Recurse -Force

    $targetDir = Join-Path -Path $repoRoot -ChildPath 'target'
    if ($env:CARGO_TARGET_DIR) {
        $targetDir = $env:CARGO_TARGET_DIR
    }
    $releaseDir = Join-Path -Path $targetDir -ChildPath 'release'
    $libDir = Join-Path -Path $stageDir -ChildPath "lib/$rid"
    $binDir = Join-Path -Path $stageDir -ChildPath "bin/$rid"
    $null = New-Item -ItemType Directory -Path $libDir, $binDir -Force
    Copy-Item -LiteralPath (Join-Path -Path $releaseDir -ChildPath (Get-NativeFileName)) -Destination $libDir
    $emulatorName = 'aibperm-emulator'
    if ($IsWindows) { $emulatorName += '.exe' }
    $emulator = Join-Path -Path $releaseDir -ChildPath $emulatorName
    if (Test-Path -LiteralPath $emulator) {
        Copy-Item -LiteralPath $emulator -Destination $binDir
    } else {
        Write-Warning "$emulator was not built; Start-AibEmulator will need -Path"
    }
    Write-Step "module staged for $rid"
}

function Test-Staged {
    $lib = Join-Path -Path $stageDir -ChildPath ("lib/{0}/{1}" -f (Get-Rid), (Get-NativeFileName))
    return (Test-Path -LiteralPath $lib)
}

function Invoke-PesterSuite {
    Import-Pester
    $testRoot = Join-Path -Path $repoRoot -ChildPath 'tests/pester'
    $config = New-PesterConfiguration
    $config.Run.Path = $testRoot
    $config.Run.PassThru = $true
    $config.Run.Exit = $false
    $config.Output.Verbosity = 'Normal'
    $config.TestResult.Enabled = $true
    $config.TestResult.OutputPath = Join-Path -Path $outDir -ChildPath 'pester-results.xml'
    if ($Tag) { $config.Filter.Tag = $Tag }

    Invoke-Pester -Configuration $config
}

function Invoke-CargoTest {
    Write-Step 'cargo test --release --workspace'
    $lines = & cargo test --release --workspace 2>&1 | ForEach-Object {
        $line = "$_"
        Write-Information -MessageData $line -InformationAction Continue
        $line
    }
    $exit = $LASTEXITCODE
    $passed = 0
    $failed = 0
    foreach ($line in $lines) {
        if ($line -match '^test result: \w+\. (\d+) passed; (\d+) failed') {
            $passed += [int]$Matches[1]
            $failed += [int]$Matches[2]
        }
    }
    if ($exit -ne 0 -and $failed -eq 0) { $failed = 1 }
    return [pscustomobject]@{ Passed = $passed; Failed = $failed }
}

function Invoke-TerminalCapture {
    # tests/tmux/capture.sh: pwsh in tmux, a few commands and Tab on -RoleDefinitionName;
    # the capture goes into this log and out/tmux-capture.txt. Skipped, with a note, without
    # tmux or bash.
    $script = Join-Path -Path $repoRoot -ChildPath 'tests/tmux/capture.sh'
    $bash = Get-Command -Name bash -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    $tmux = Get-Command -Name tmux -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $bash -or -not $tmux -or -not (Test-Path -LiteralPath $script)) {
        Write-Step 'terminal capture skipped: tmux (or bash) is not installed'
        return [pscustomobject]@{ Passed = 0; Failed = 0 }
    }
    Write-Step 'terminal capture (tmux): tests/tmux/capture.sh'
    & $bash.Source $script 2>&1 | ForEach-Object { Write-Information -MessageData "$_" -InformationAction Continue }
    if ($LASTEXITCODE -ne 0) {
        Write-Output "terminal capture: failed with exit code $LASTEXITCODE"
        return [pscustomobject]@{ Passed = 0; Failed = 1 }
    }
    return [pscustomobject]@{ Passed = 1; Failed = 0 }
}

function Invoke-Test {
    Invoke-Bootstrap
    Invoke-Build
    $cargo = [pscustomobject]@{ Passed = 0; Failed = 0 }
    if (-not $SkipCargoTest) {
        $cargo = Invoke-CargoTest
    }
    $pester = Invoke-PesterSuite
    $pesterFailed = $pester.FailedCount + $pester.FailedBlocksCount + $pester.FailedContainersCount
    $terminal = [pscustomobject]@{ Passed = 0; Failed = 0 }
    if (-not $Tag) {
        $terminal = Invoke-TerminalCapture
    }

    Write-Output ("cargo: {0} passed, {1} failed" -f $cargo.Passed, $cargo.Failed)
    Write-Output ("pester: {0} passed, {1} failed, {2} skipped" -f $pester.PassedCount, $pesterFailed, $pester.SkippedCount)
    $passed = $cargo.Passed + $pester.PassedCount + $terminal.Passed
    $failed = $cargo.Failed + $pesterFailed + $terminal.Failed
    Write-Output ("{0} passed, {1} failed" -f $passed, $failed)
    if ($failed -gt 0) { exit 1 }
}

function Split-DemoText {
    # Breaks one line into lines of at most -Width columns, at a space or after a '/' when it
    # can; lines after the first start with -Indent spaces.
    param (
        [string] $Text,
        [int] $Width = 80,
        [int] $Indent = 10
    )
    $rest = $Text.TrimEnd()
    $prefix = ''
    while (($prefix.Length + $rest.Length) -gt $Width) {
        $room = $Width - $prefix.Length
        $cut = $rest.LastIndexOfAny([char[]]' /', $room - 1)
        if ($cut -le 0) { $cut = $room - 1 }
        $prefix + $rest.Substring(0, $cut + 1).TrimEnd()
        $rest = $rest.Substring($cut + 1).TrimStart()
        $prefix = ' ' * $Indent
    }
    $prefix + $rest
}

function Write-DemoText {
    # Prints lines wrapped to 80 columns; a wrapped line goes on indented, so items stay apart.
    param (
        [string[]] $Line,
        [int] $Indent = 10
    )
    foreach ($text in $Line) {
        Split-DemoText -Text $text -Indent $Indent | Write-Output
    }
}

function Get-DemoPrologue {
    # Script text that imports the staged module and connects to the emulator from its state
    # file, for a second runspace or process. The secret is read from the file, never passed.
    param ([string] $StateFilePath)
    $module = (Join-Path -Path $stageDir -ChildPath 'AibPermissions.psd1').Replace("'", "''")
    $state = $StateFilePath.Replace("'", "''")
    @"
`$ErrorActionPreference = 'Stop'
Import-Module -Name '$module'
`$state = Get-Content -LiteralPath '$state' -Raw | ConvertFrom-Json
`$secret = New-Object -TypeName System.Security.SecureString
foreach (`$c in ([string]`$state.clientSecret).ToCharArray()) { `$secret.AppendChar(`$c) }
`$connect = @{
    ServicePrincipal  = `$true
    TenantId          = `$state.tenantId
    ApplicationId     = `$state.clientId
    ClientSecret      = `$secret
    SubscriptionId    = `$state.subscriptionId
    ArmEndpoint       = `$state.endpoint
    AuthorityHost     = `$state.authorityHost
    Audience          = `$state.audience
    CaCertificatePath = `$state.caCertificatePath
}
`$null = Connect-AibAccount @connect
"@
}

function Format-DemoGrantResult {
    param ([object[]] $Result)
    $columns = @(
        @{ Label = 'Action'; Expression = { $_.Action }; Width = 9 }
        @{ Label = 'Kind'; Expression = { $_.Kind }; Width = 14 }
        @{ Label = 'Name'; Expression = { (Split-DemoText -Text $_.Name -Width 38 -Indent 0) -join "`n" }; Width = 38 }
        @{ Label = 'Resource group'; Expression = { ($_.Scope -split '/')[-1] }; Width = 14 }
    )
    ($Result | Format-Table -Property $columns -Wrap | Out-String -Width 80).Trim("`r", "`n")
}

function Get-DemoWriteCount {
    # PUT, PATCH and DELETE requests the emulator has answered, from its control endpoint
    # (TLS checked against the emulator's own CA); $null when curl is not there.
    param ([object] $Emulator)
    $curl = Get-Command -Name curl -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    $state = Get-Content -LiteralPath $Emulator.StateFilePath -Raw | ConvertFrom-Json
    if (-not $curl) { return $null }
    $json = & $curl.Source --silent --show-error --fail --cacert $state.caCertificatePath "$($state.controlEndpoint)/counters"
    if ($LASTEXITCODE -ne 0) { return $null }
    $counters = ($json -join "`n") | ConvertFrom-Json
    $sum = 0
    foreach ($property in $counters.PSObject.Properties) {
        if ($property.Name -match '\.(put|patch|delete)$') { $sum += [int]$property.Value }
    }
    $sum
}

function Invoke-Demo {
    if (-not (Test-Staged)) {
        Invoke-Build
    }
    Import-Module -Name (Join-Path -Path $stageDir -ChildPath 'AibPermissions.psd1') -Force
    Write-Step 'starting the emulator; new identities replicate for 5 s'
    $emulator = Start-AibEmulator -ReplicationDelaySeconds 5
    try {
        $sub = $emulator.SubscriptionId
        foreach ($rg in 'aib-images', 'aib-network') {
            $null = & (Get-Module -Name AibPermissions) {
                param ($s, $r)
                Invoke-AibNative -Operation 'resourceGroup.createOrUpdate' -Request @{ subscriptionId = $s; resourceGroupName = $r; location = 'westus2' }
            } $sub $rg
        }
        $plan = [ordered]@{
            IdentityName                    = 'aibIdentity'
            ResourceGroupName               = 'aib-images'
            ImageResourceGroupName          = 'aib-images'
            GalleryResourceGroupName        = 'aib-images'
            VirtualNetworkResourceGroupName = 'aib-network'
        }
        $planText = ($plan.Keys | ForEach-Object { "-$_ '$($plan[$_])'" }) -join ' '
        $prologue = Get-DemoPrologue -StateFilePath $emulator.StateFilePath
        Write-DemoText -Indent 4 -Line "Subscription $sub; resource groups aib-images and aib-network.", "Grant-AibPermission $planText"

        Write-Step '1/4 Grant-AibPermission -WhatIf: the plan; nothing changes'
        # -WhatIf writes to the host; a second pwsh lets its text be wrapped to 80 columns.
        $pwsh = Get-Command -Name pwsh -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        if ($pwsh) { $pwsh = $pwsh.Source } else { $pwsh = Join-Path -Path $PSHOME -ChildPath 'pwsh' }
        $script = $prologue + [Environment]::NewLine + "Grant-AibPermission $planText -WhatIf"
        $whatIf = @(& $pwsh -NoProfile -NonInteractive -Command $script)
        if ($LASTEXITCODE -ne 0) { throw "Grant-AibPermission -WhatIf failed: $($whatIf -join [Environment]::NewLine)" }
        Write-DemoText -Line ($whatIf | ForEach-Object { ([string]$_).Replace("/subscriptions/$sub", '/subscriptions/<sub>') })

        Write-Step '2/4 Grant-AibPermission: creates what is missing, waits out the replication'
        # Run in a second runspace so its progress can be printed as it comes.
        $ps = [powershell]::Create()
        $null = $ps.AddScript($prologue + [Environment]::NewLine + "Grant-AibPermission $planText")
        $async = $ps.BeginInvoke()
        $shown = 0
        $last = ''
        # One line per attempt: the seconds waited change too often to print each.
        while (-not $async.IsCompleted -or $shown -lt $ps.Streams.Progress.Count) {
            while ($shown -lt $ps.Streams.Progress.Count) {
                $record = $ps.Streams.Progress[$shown]
                $shown++
                $status = "$($record.Activity): $($record.StatusDescription)"
                $key = $status -replace '\d+ s waited', ''
                if ($record.RecordType -ne 'Completed' -and $key -ne $last) {
                    Write-DemoText -Indent 4 -Line ('  ' + $status.Replace("/subscriptions/$sub", '/subscriptions/<sub>'))
                    $last = $key
                }
            }
            Start-Sleep -Milliseconds 200
        }
        $granted = @($ps.EndInvoke($async))
        if ($ps.Streams.Error.Count -gt 0) { throw $ps.Streams.Error[0] }
        $ps.Dispose()
        Write-Output (Format-DemoGrantResult -Result $granted)

        Write-Step '3/4 Grant-AibPermission again: everything Unchanged'
        $writesBefore = Get-DemoWriteCount -Emulator $emulator
        $again = @(Grant-AibPermission @plan)
        $writesAfter = Get-DemoWriteCount -Emulator $emulator
        Write-Output (Format-DemoGrantResult -Result $again)
        if ($null -ne $writesBefore -and $null -ne $writesAfter) {
            Write-Output "ARM writes during the rerun: $($writesAfter - $writesBefore)"
        }

        Write-Step '4/4 Test-AibPermission: can the identity run the build?'
        $test = Test-AibPermission @plan
        $columns = @(
            @{ Label = 'Resource group'; Expression = { ($_.Scope -split '/')[-1] }; Width = 14 }
            @{ Label = 'Scenarios'; Expression = { $_.Scenarios -join ', ' }; Width = 30 }
            @{ Label = 'Granted'; Expression = { '{0} of {1}' -f @($_.Granted).Count, @($_.Required).Count }; Width = 9 }
            @{ Label = 'Missing'; Expression = { @($_.Missing).Count }; Width = 7 }
        )
        Write-Output ($test.Scopes | Format-Table -Property $columns -Wrap | Out-String -Width 80).Trim("`r", "`n")
        Write-Output "Ready: $($test.Ready)"
        if (-not $test.Ready -or @($again | Where-Object { $_.Action -ne 'Unchanged' }).Count -gt 0) {
            throw 'the demo did not converge: see the output above'
        }
    } finally {
        Stop-AibEmulator
    }
}

function Invoke-Bench {
    Invoke-Build
    & (Join-Path -Path $repoRoot -ChildPath 'bench/bench.ps1')
}

function Invoke-Package {
    # A module folder ready for Publish-Module / Publish-PSResource: the module files, the
    # license, and lib/<rid>/ (bin/<rid>/ for the emulator) for every RID built here.
    if (-not (Test-Staged)) {
        Invoke-Build
    }
    $manifestPath = Join-Path -Path $repoRoot -ChildPath 'powershell/AibPermissions/AibPermissions.psd1'
    $version = (Import-PowerShellDataFile -Path $manifestPath).ModuleVersion
    $packageDir = Join-Path -Path $outDir -ChildPath "package/AibPermissions/$version"
    Write-Step "packaging AibPermissions $version in $packageDir"
    if (Test-Path -LiteralPath $packageDir) {
        Remove-Item -LiteralPath $packageDir -Recurse -Force
    }
    $null = New-Item -ItemType Directory -Path $packageDir -Force
    Copy-Item -Path (Join-Path -Path $repoRoot -ChildPath 'powershell/AibPermissions/*') -Destination $packageDir -Recurse -Force
    Copy-Item -LiteralPath (Join-Path -Path $repoRoot -ChildPath 'LICENSE') -Destination $packageDir

    $targetDir = Join-Path -Path $repoRoot -ChildPath 'target'
    if ($env:CARGO_TARGET_DIR) {
        $targetDir = $env:CARGO_TARGET_DIR
    }
    # The RIDs the module loads (Get-AibNativeLibraryPath), with their Rust target triples.
    $rids = [ordered]@{
        'win-x64'     = @{ Triple = 'x86_64-pc-windows-msvc'; Library = 'aibperm.dll'; Emulator = 'aibperm-emulator.exe' }
        'win-x86'     = @{ Triple = 'i686-pc-windows-msvc'; Library = 'aibperm.dll'; Emulator = 'aibperm-emulator.exe' }
        'win-arm64'   = @{ Triple = 'aarch64-pc-windows-msvc'; Library = 'aibperm.dll'; Emulator = 'aibperm-emulator.exe' }
        'linux-x64'   = @{ Triple = 'x86_64-unknown-linux-gnu'; Library = 'libaibperm.so'; Emulator = 'aibperm-emulator' }
        'linux-arm64' = @{ Triple = 'aarch64-unknown-linux-gnu'; Library = 'libaibperm.so'; Emulator = 'aibperm-emulator' }
        'osx-x64'     = @{ Triple = 'x86_64-apple-darwin'; Library = 'libaibperm.dylib'; Emulator = 'aibperm-emulator' }
        'osx-arm64'   = @{ Triple = 'aarch64-apple-darwin'; Library = 'libaibperm.dylib'; Emulator = 'aibperm-emulator' }
    }
    $hostRid = Get-Rid
    $included = New-Object -TypeName System.Collections.Generic.List[string]
    $missing = New-Object -TypeName System.Collections.Generic.List[string]
    foreach ($rid in $rids.Keys) {
        $info = $rids[$rid]
        $candidates = @(Join-Path -Path $targetDir -ChildPath "$($info.Triple)/release")
        if ($rid -eq $hostRid) {
            $candidates = @(Join-Path -Path $targetDir -ChildPath 'release') + $candidates
        }
        $releaseDir = $candidates | Where-Object { Test-Path -LiteralPath (Join-Path -Path $_ -ChildPath $info.Library) } | Select-Object -First 1
        if (-not $releaseDir) {
            $missing.Add($rid)
            continue
        }
        $libDir = Join-Path -Path $packageDir -ChildPath "lib/$rid"
        $null = New-Item -ItemType Directory -Path $libDir -Force
        Copy-Item -LiteralPath (Join-Path -Path $releaseDir -ChildPath $info.Library) -Destination $libDir
        $emulator = Join-Path -Path $releaseDir -ChildPath $info.Emulator
        if (Test-Path -LiteralPath $emulator) {
            $binDir = Join-Path -Path $packageDir -ChildPath "bin/$rid"
            $null = New-Item -ItemType Directory -Path $binDir -Force
            Copy-Item -LiteralPath $emulator -Destination $binDir
        }
        $included.Add($rid)
    }

    $null = Test-ModuleManifest -Path (Join-Path -Path $packageDir -ChildPath 'AibPermissions.psd1')
    Write-Step "package: $packageDir"
    Write-Step "native libraries included for: $($included -join ', ')"
    if ($missing.Count -gt 0) {
        Write-Warning ("native libraries missing for: {0}. Build each with 'cargo build --release --workspace --target <triple>' on a machine that can, then run package again." -f ($missing -join ', '))
    }
}

switch ($Task) {
    'bootstrap' { Invoke-Bootstrap }
    'build' { Invoke-Build }
    'test' { Invoke-Test }
    'demo' { Invoke-Demo }
    'bench' { Invoke-Bench }
    'package' { Invoke-Package }
}
