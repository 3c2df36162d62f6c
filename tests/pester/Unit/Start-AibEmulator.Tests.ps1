Describe 'Start-AibEmulator' -Tag 'Unit' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'UnitHelpers.ps1')
        Mock -CommandName Connect-AibAccount -ModuleName AibPermissions -MockWith { }
        # A stand-in emulator: writes the state file named by --state-file, then stays up.
        $fake = Join-Path -Path $TestDrive -ChildPath 'fake-emulator'
        $script = @'
#!/bin/sh
printf '%s\n' "$@" > "$0.args"
while [ $# -gt 0 ]; do
  case "$1" in
    --state-file) state="$2"; shift 2 ;;
    *) shift ;;
  esac
done
state=$(echo "$state" | tr -d '"')
printf '{"endpoint":"https://127.0.0.1:1","authorityHost":"https://127.0.0.1:1","audience":"https://management.azure.com/","caCertificatePath":"/tmp/ca.pem","tenantId":"99999999-0000-0000-0000-000000000001","subscriptionId":"99999999-0000-0000-0000-000000000002","clientId":"99999999-0000-0000-0000-000000000003","clientSecret":"fake-secret-value","controlEndpoint":"https://127.0.0.1:1/_emulator","pid":%s}' $$ > "$state.tmp"
mv "$state.tmp" "$state"
trap 'rm -f "$state"; exit 0' TERM
while true; do sleep 1; done
'@
        Set-Content -LiteralPath $fake -Value $script
        if (-not (Get-Command -Name chmod -CommandType Application -ErrorAction SilentlyContinue)) {
            $fake = $null
        } else {
            & chmod +x $fake
        }
    }

    AfterEach {
        Reset-TestSession
    }

    Context 'when the binary is missing' {
        It 'stops with EmulatorNotFound naming the path' {
            $missing = Join-Path -Path $TestDrive -ChildPath 'nope'
            { Start-AibEmulator -Path $missing } | Should -Throw -ErrorId 'EmulatorNotFound,Start-AibEmulator'
        }
    }

    Context 'when AIBPERM_EMULATOR_PATH is set' {
        It 'is used when -Path is not given' {
            $env:AIBPERM_EMULATOR_PATH = '/opt/emulator'
            try {
                $path = InModuleScope -ModuleName AibPermissions { Get-AibEmulatorPath -Path '' -ModuleRoot 'root' }
                $path | Should -Be '/opt/emulator'
                $explicit = InModuleScope -ModuleName AibPermissions { Get-AibEmulatorPath -Path './mine' -ModuleRoot 'root' }
                $explicit | Should -Be './mine'
            } finally {
                Remove-Item -Path Env:AIBPERM_EMULATOR_PATH
            }
        }

        It 'falls back to bin/RID/ in the module' {
            $path = InModuleScope -ModuleName AibPermissions { Get-AibEmulatorPath -Path '' -ModuleRoot 'root' }
            $path | Should -Match '^root[\\/]bin[\\/](win|linux|osx)-(x64|arm64|x86)[\\/]aibperm-emulator(\.exe)?$'
        }
    }

    Context 'when -WhatIf is given' {
        It 'starts nothing' {
            if (-not $fake) { Set-ItResult -Skipped -Because 'needs a POSIX shell' }
            $state = Join-Path -Path $TestDrive -ChildPath 'whatif.json'
            Start-AibEmulator -Path $fake -StateFile $state -WhatIf
            Start-Sleep -Milliseconds 300
            Test-Path -LiteralPath $state | Should -BeFalse
            Should -Invoke -CommandName Connect-AibAccount -ModuleName AibPermissions -Times 0 -Exactly
        }
    }

    Context 'when fault parameters are given' {
        It 'passes each one as the emulator flag' {
            if (-not $fake) { Set-ItResult -Skipped -Because 'needs a POSIX shell' }
            $state = Join-Path -Path $TestDrive -ChildPath 'faults.json'
            $emulator = Start-AibEmulator -Path $fake -StateFile $state -ReplicationDelaySeconds 7 -TransientFailureRate 0.25 -FaultSeed 42 -WritesPerMinute 30
            try {
                $arguments = @(Get-Content -LiteralPath "$fake.args")
                $pairs = @{}
                for ($i = 0; $i -lt $arguments.Count - 1; $i++) {
                    if ($arguments[$i] -like '--*') { $pairs[$arguments[$i]] = $arguments[$i + 1] }
                }
                $pairs['--replication-delay-seconds'] | Should -Be '7'
                $pairs['--transient-failure-rate'] | Should -Be '0.25'
                $pairs['--fault-seed'] | Should -Be '42'
                $pairs['--writes-per-minute'] | Should -Be '30'
                $pairs.ContainsKey('--reads-per-minute') | Should -BeFalse
                $pairs['--port'] | Should -Be '0'
            } finally {
                $emulator | Stop-AibEmulator
            }
        }
    }

    Context 'when the emulator writes its state file' {
        It 'connects as its service principal and returns the emulator' {
            if (-not $fake) { Set-ItResult -Skipped -Because 'needs a POSIX shell' }
            $state = Join-Path -Path $TestDrive -ChildPath 'state.json'
            $emulator = Start-AibEmulator -Path $fake -StateFile $state
            try {
                $emulator.PSObject.TypeNames | Should -Contain 'AibPermissions.Emulator'
                $emulator.StateFilePath | Should -Be $state
                $emulator.Endpoint | Should -Be 'https://127.0.0.1:1'
                $emulator.SubscriptionId | Should -Be '99999999-0000-0000-0000-000000000002'
                $emulator.TenantId | Should -Be '99999999-0000-0000-0000-000000000001'
                $emulator.ProcessId | Should -BeGreaterThan 0
                ($emulator | Out-String) | Should -Not -Match 'fake-secret-value'
                Should -Invoke -CommandName Connect-AibAccount -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                    $ServicePrincipal -and $ApplicationId -eq '99999999-0000-0000-0000-000000000003' -and
                    $ArmEndpoint -eq 'https://127.0.0.1:1' -and $CaCertificatePath -eq '/tmp/ca.pem' -and
                    [System.Net.NetworkCredential]::new('', $ClientSecret).Password -eq 'fake-secret-value'
                }
            } finally {
                $emulator | Stop-AibEmulator
            }
            Get-Process -Id $emulator.ProcessId -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            Test-Path -LiteralPath $state | Should -BeFalse
        }
    }
}
