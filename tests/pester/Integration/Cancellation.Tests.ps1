Describe 'Stopping a command while it waits' -Tag 'Integration' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'IntegrationHelpers.ps1')
        $emulator = Start-AibEmulator -ReplicationDelaySeconds 600
        $sub = $emulator.SubscriptionId
        New-TestResourceGroup -SubscriptionId $sub -Name 'aib-images'
        $role = New-AibRoleDefinition -Scenario ImageCreation -SubscriptionId $sub -ResourceGroupName 'aib-images'
    }

    AfterAll {
        Stop-AibEmulator
    }

    Context 'when the replication wait is stopped as Ctrl+C does' {
        It 'stops the command and leaves no assignment' {
            $script = {
                $identity = New-AibUserAssignedIdentity -Name 'slowIdentity' -ResourceGroupName 'aib-images'
                $identity | New-AibRoleAssignment -RoleDefinitionId $Arguments.RoleId -ResourceGroupName 'aib-images' -ObjectType ServicePrincipal
            }
            $ps = Start-AibRunspaceCommand -Emulator $emulator -Script $script.ToString() -Arguments @{ RoleId = $role.ResourceId }
            try {
                # Progress shows once the wait passes a second: the command is then inside the wait.
                Wait-AibCondition -Condition { @($ps.Streams.Progress | Where-Object { $_.Activity -like 'Assigning role*' }).Count -gt 0 } | Should -BeTrue
                $ps.Stop()
                $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            } finally {
                $ps.Dispose()
            }
            $state = Get-EmulatorState -Emulator $emulator
            @($state.userAssignedIdentities).Count | Should -Be 1
            @($state.roleAssignments).Count | Should -Be 0
        }
    }
}
