# Interruption: Grant-AibPermission is stopped as Ctrl+C stops it (a pipeline stop) at a
# seeded random point, inside a child pwsh. The child must stay alive, the stop must return
# with the pipeline stopped, a rerun must converge and a further rerun report Unchanged, and the
# emulator must hold exactly the planned objects: nothing orphaned, nothing twice.
# AIBPERM_SOAK=1 runs 50 seeds; the default run 8. How long each stop took is printed, not
# asserted (timings belong to benchmarks).

BeforeDiscovery {
    $seedCount = if ($env:AIBPERM_SOAK -eq '1') { 50 } else { 8 }
    $seeds = @(1..$seedCount | ForEach-Object { @{ Seed = 1000 + $_ } })
}

Describe 'Stopping Grant-AibPermission at random points' -Tag 'Integration', 'Reliability' {
    BeforeAll {
        $modulePath = Join-Path -Path $PSScriptRoot -ChildPath '../../../out/AibPermissions/AibPermissions.psd1'
        $pwsh = (Get-Command -Name pwsh -CommandType Application | Select-Object -First 1).Source
        $child = Join-Path -Path $TestDrive -ChildPath 'interrupt.ps1'
        Set-Content -LiteralPath $child -Encoding utf8NoBOM -Value @'
param ([string] $ModulePath, [string] $SeedList)
$Seeds = @($SeedList -split ',' | ForEach-Object { [int]$_ })
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module -Name $ModulePath
$emulator = Start-AibEmulator -ReplicationDelaySeconds 2 -RoleVisibilityDelaySeconds 1
try {
    $state = Get-Content -LiteralPath $emulator.StateFilePath -Raw | ConvertFrom-Json
    $sub = $emulator.SubscriptionId
    $module = Get-Module -Name AibPermissions
    foreach ($seed in $Seeds) {
        foreach ($g in "s$seed-img", "s$seed-net") {
            & $module { param ($s, $r) $null = Invoke-AibNative -Operation 'resourceGroup.createOrUpdate' -Request @{ subscriptionId = $s; resourceGroupName = $r; location = 'westus2' } } $sub $g
        }
        $plan = @{ IdentityName = "id$seed"; ResourceGroupName = "s$seed-img"; ImageResourceGroupName = "s$seed-img"; VirtualNetworkResourceGroupName = "s$seed-net"; SubscriptionId = $sub }
        $delayMs = [System.Random]::new($seed).Next(0, 3000)

        # A second session in this process, signed in the same way, runs the command.
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
            param ($ModulePath, $State)
            Import-Module -Name $ModulePath
            $secret = [System.Security.SecureString]::new()
            foreach ($c in ([string]$State.clientSecret).ToCharArray()) { $secret.AppendChar($c) }
            $null = Connect-AibAccount -ServicePrincipal -TenantId $State.tenantId -ApplicationId $State.clientId -ClientSecret $secret -SubscriptionId $State.subscriptionId -ArmEndpoint $State.endpoint -AuthorityHost $State.authorityHost -Audience $State.audience -CaCertificatePath $State.caCertificatePath
        }).AddParameter('ModulePath', $ModulePath).AddParameter('State', $state)
        $null = $ps.Invoke()
        $ps.Commands.Clear()
        $null = $ps.AddCommand('Grant-AibPermission').AddParameters($plan)
        $async = $ps.BeginInvoke()
        Start-Sleep -Milliseconds $delayMs
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $ps.Stop()
        $stopMs = $watch.Elapsed.TotalMilliseconds
        $stoppedState = [string]$ps.InvocationStateInfo.State
        $ps.Dispose()

        $rerun = @(Grant-AibPermission @plan)
        $again = @(Grant-AibPermission @plan)
        [pscustomobject]@{
            Seed         = $seed
            DelayMs      = $delayMs
            StopMs       = $stopMs
            StoppedState = $stoppedState
            RerunActions = @($rerun.Action)
            AgainActions = @($again.Action)
            PrincipalId  = $rerun[0].PrincipalId
        } | ConvertTo-Json -Compress
    }
    $curl = Get-Command -Name curl -CommandType Application | Select-Object -First 1
    $dump = (& $curl.Source --silent --show-error --fail --cacert $emulator.CaCertificatePath "$($emulator.ControlEndpoint)/state") -join "`n" | ConvertFrom-Json
    [pscustomobject]@{
        Final       = $true
        Identities  = @($dump.userAssignedIdentities | ForEach-Object { $_.id.ToLowerInvariant() })
        RoleNames   = @($dump.roleDefinitions | ForEach-Object { $_.properties.roleName })
        Assignments = @($dump.roleAssignments | ForEach-Object { "$($_.properties.scope)|$($_.properties.roleDefinitionId)|$($_.properties.principalId)".ToLowerInvariant() })
    } | ConvertTo-Json -Compress -Depth 4
} finally {
    Stop-AibEmulator
}
'@
        $n = if ($env:AIBPERM_SOAK -eq '1') { 50 } else { 8 }
        $seedList = @(1..$n | ForEach-Object { 1000 + $_ })
        $lines = & $pwsh -NoProfile -NonInteractive -File $child -ModulePath $modulePath -SeedList ($seedList -join ',') 2>&1
        $childExit = $LASTEXITCODE
        $records = @($lines | ForEach-Object { "$_" } | Where-Object { $_ -match '^\{.*\}$' } | ForEach-Object { $_ | ConvertFrom-Json })
        $runs = @($records | Where-Object { -not $_.PSObject.Properties['Final'] })
        $final = @($records | Where-Object { $_.PSObject.Properties['Final'] })[0]
    }

    It 'the child pwsh ran every seed and exited cleanly' {
        $childExit | Should -Be 0 -Because ($lines -join "`n")
        $runs.Count | Should -Be $seedList.Count
        # Most stops land inside the command (it waits out a 2 s replication window).
        @($runs | Where-Object { $_.StoppedState -eq 'Stopped' }).Count | Should -BeGreaterThan ($seedList.Count / 2)
    }

    It 'seed <Seed>: the stop returns, a rerun converges, the next is Unchanged' -ForEach $seeds {
        $run = @($runs | Where-Object { $_.Seed -eq $Seed })[0]
        $run | Should -Not -BeNullOrEmpty
        $run.StoppedState | Should -BeIn @('Stopped', 'Completed', 'Failed')
        Write-Information -MessageData ("seed {0}: stopped after {1} ms in state {2}, stop took {3:n0} ms" -f $Seed, $run.DelayMs, $run.StoppedState, $run.StopMs) -InformationAction Continue
        @($run.RerunActions).Count | Should -Be 5
        @($run.RerunActions | Where-Object { $_ -notin 'Created', 'Updated', 'Unchanged' }) | Should -BeNullOrEmpty
        @($run.AgainActions) | Should -Be @('Unchanged', 'Unchanged', 'Unchanged', 'Unchanged', 'Unchanged')
    }

    It 'the emulator holds the planned objects once each and nothing else' {
        $final | Should -Not -BeNullOrEmpty
        @($final.Identities).Count | Should -Be $seedList.Count
        @($final.Identities | Sort-Object -Unique).Count | Should -Be $seedList.Count
        @($final.RoleNames).Count | Should -Be (2 * $seedList.Count)
        @($final.RoleNames | Sort-Object -Unique).Count | Should -Be (2 * $seedList.Count)
        @($final.Assignments).Count | Should -Be (2 * $seedList.Count)
        @($final.Assignments | Sort-Object -Unique).Count | Should -Be (2 * $seedList.Count)
    }
}
