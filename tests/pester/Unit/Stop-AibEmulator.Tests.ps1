Describe 'Stop-AibEmulator' -Tag 'Unit' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'UnitHelpers.ps1')
        Mock -CommandName Connect-AibAccount -ModuleName AibPermissions -MockWith { }
        $fake = $null
        if (Get-Command -Name chmod -CommandType Application -ErrorAction SilentlyContinue) {
            $fake = Join-Path -Path $TestDrive -ChildPath 'fake-emulator'
            $script = @'
#!/bin/sh
while [ $# -gt 0 ]; do
  case "$1" in
    --state-file) state="$2"; shift 2 ;;
    *) shift ;;
  esac
done
state=$(echo "$state" | tr -d '"')
printf '{"endpoint":"https://127.0.0.1:1","authorityHost":"https://127.0.0.1:1","audience":"a","caCertificatePath":"/tmp/ca.pem","tenantId":"t","subscriptionId":"s","clientId":"c","clientSecret":"x","controlEndpoint":"https://127.0.0.1:1/_emulator","pid":%s}' $$ > "$state"
while true; do sleep 1; done
'@
            Set-Content -LiteralPath $fake -Value $script
            & chmod +x $fake
        }
    }

    AfterEach {
        Reset-TestSession
    }

    Context 'when no emulator was started' {
        It 'does nothing' {
            { Stop-AibEmulator } | Should -Not -Throw
        }
    }

    Context 'when -WhatIf is given' {
        It 'leaves the emulator running' {
            if (-not $fake) { Set-ItResult -Skipped -Because 'needs a POSIX shell' }
            $emulator = Start-AibEmulator -Path $fake -StateFile (Join-Path -Path $TestDrive -ChildPath 'whatif.json')
            try {
                Stop-AibEmulator -WhatIf
                (Get-Process -Id $emulator.ProcessId -ErrorAction SilentlyContinue) | Should -Not -BeNullOrEmpty
            } finally {
                Stop-AibEmulator
            }
        }
    }

    Context 'when the emulator stops without removing its state file' {
        It 'ends the process and removes the state file' {
            if (-not $fake) { Set-ItResult -Skipped -Because 'needs a POSIX shell' }
            $state = Join-Path -Path $TestDrive -ChildPath 'stubborn.json'
            $emulator = Start-AibEmulator -Path $fake -StateFile $state
            Stop-AibEmulator
            (Get-Process -Id $emulator.ProcessId -ErrorAction SilentlyContinue) | Should -BeNullOrEmpty
            Test-Path -LiteralPath $state | Should -BeFalse
        }
    }
}
