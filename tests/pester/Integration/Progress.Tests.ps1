Describe 'Progress during waits' -Tag 'Integration' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'IntegrationHelpers.ps1')
        $emulator = Start-AibEmulator -RoleVisibilityDelaySeconds 3
        New-TestResourceGroup -SubscriptionId $emulator.SubscriptionId -Name 'aib-images'
    }

    AfterAll {
        Stop-AibEmulator
    }

    Context 'when a new role definition is not readable yet' {
        It 'shows what is awaited, the attempt and the time waited, then completes the bar' {
            $script = {
                New-AibRoleDefinition -Scenario ImageCreation -ResourceGroupName 'aib-images'
            }
            $ps = Start-AibRunspaceCommand -Emulator $emulator -Script $script.ToString()
            try {
                Wait-AibCondition -Condition { $ps.InvocationStateInfo.State -ne 'Running' } | Should -BeTrue
                $ps.InvocationStateInfo.State | Should -Be 'Completed'
                @($ps.Streams.Error).Count | Should -Be 0
                $records = @($ps.Streams.Progress)
                $waiting = @($records | Where-Object { $_.RecordType -eq 'Processing' })
                $waiting.Count | Should -BeGreaterThan 0
                $waiting[-1].Activity | Should -Not -BeNullOrEmpty
                $waiting[-1].StatusDescription | Should -Match 'attempt \d+, \d+ s waited'
                $activity = $waiting[-1].Activity
                @($records | Where-Object { $_.Activity -eq $activity -and $_.RecordType -eq 'Completed' }).Count | Should -Be 1
                $records[-1].RecordType | Should -Be 'Completed'
            } finally {
                $ps.Dispose()
            }
        }
    }
}
