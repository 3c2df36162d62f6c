Describe 'Remove-AibUserAssignedIdentity against the emulator' -Tag 'Integration' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'IntegrationHelpers.ps1')
        $emulator = Start-AibEmulator
        $sub = $emulator.SubscriptionId
        foreach ($group in 'rg', 'rg01') {
            New-TestResourceGroup -SubscriptionId $sub -Name $group
        }
        $a = New-AibUserAssignedIdentity -Name 'idA' -ResourceGroupName 'rg'
        $null = New-AibUserAssignedIdentity -Name 'idB' -ResourceGroupName 'rg'
        $null = New-AibUserAssignedIdentity -Name 'idC' -ResourceGroupName 'rg01'
    }

    AfterAll {
        Stop-AibEmulator
    }

    Context 'when removing' {
        It 'leaves the identity in place with -WhatIf' {
            Get-AibUserAssignedIdentity -Name 'idB' -ResourceGroupName 'rg' | Remove-AibUserAssignedIdentity -WhatIf
            (Get-AibUserAssignedIdentity -Name 'idB' -ResourceGroupName 'rg').Name | Should -Be 'idB'
        }

        It 'deletes what Get pipes in and returns $true with -PassThru' {
            $result = Get-AibUserAssignedIdentity -Name 'idB' -ResourceGroupName 'rg' | Remove-AibUserAssignedIdentity -Force -PassThru
            $result | Should -BeTrue
            @(Get-AibUserAssignedIdentity -ResourceGroupName 'rg').Name | Should -Be @('idA')
            $state = Get-EmulatorState -Emulator $emulator
            @($state.userAssignedIdentities | Where-Object { $_.name -eq 'idB' }).Count | Should -Be 0
        }

        It 'deletes by name and warns when the identity was already gone' {
            Remove-AibUserAssignedIdentity -Name 'idC' -ResourceGroupName 'rg01' -Force
            $warnings = $null
            Remove-AibUserAssignedIdentity -Name 'idC' -ResourceGroupName 'rg01' -Force -WarningVariable warnings -WarningAction SilentlyContinue
            $warnings.Count | Should -Be 1
        }
    }
}
