Describe 'Assigning a role to a new identity' -Tag 'Integration' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'IntegrationHelpers.ps1')
        $emulator = Start-AibEmulator -ReplicationDelaySeconds 3
        $sub = $emulator.SubscriptionId
        New-TestResourceGroup -SubscriptionId $sub -Name 'aib-images'
        $role = New-AibRoleDefinition -Scenario ImageCreation -SubscriptionId $sub -ResourceGroupName 'aib-images'
    }

    AfterAll {
        Stop-AibEmulator
    }

    Context 'when the principal has not replicated yet' {
        It 'waits with progress and then assigns the role' {
            $script = {
                $identity = New-AibUserAssignedIdentity -Name 'freshIdentity' -ResourceGroupName 'aib-images'
                $identity | New-AibRoleAssignment -RoleDefinitionId $Arguments.RoleId -ResourceGroupName 'aib-images' -ObjectType ServicePrincipal
            }
            $ps = Start-AibRunspaceCommand -Emulator $emulator -Script $script.ToString() -Arguments @{ RoleId = $role.ResourceId }
            try {
                Wait-AibCondition -Condition { $ps.InvocationStateInfo.State -ne 'Running' } | Should -BeTrue
                $ps.InvocationStateInfo.State | Should -Be 'Completed'
                @($ps.Streams.Error).Count | Should -Be 0
                $waits = @($ps.Streams.Progress | Where-Object { $_.Activity -like 'Assigning role*' -and $_.RecordType -eq 'Processing' })
                $waits.Count | Should -BeGreaterThan 0
                $waits[-1].StatusDescription | Should -Match 'attempt \d+'
                @($ps.Streams.Progress | Where-Object { $_.Activity -like 'Assigning role*' -and $_.RecordType -eq 'Completed' }).Count | Should -Be 1
            } finally {
                $ps.Dispose()
            }
            $state = Get-EmulatorState -Emulator $emulator
            @($state.roleAssignments).Count | Should -Be 1
        }
    }
}
