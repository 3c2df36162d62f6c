Describe 'Secrets in output' -Tag 'Integration' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'IntegrationHelpers.ps1')
        $emulator = Start-AibEmulator
        New-TestResourceGroup -SubscriptionId $emulator.SubscriptionId -Name 'aib-images'
        $secret = [string](Get-Content -LiteralPath $emulator.StateFilePath -Raw | ConvertFrom-Json).clientSecret
    }

    AfterAll {
        Stop-AibEmulator
    }

    Context 'when the recipe runs with Verbose and Debug on' {
        It 'writes log records and never the client secret or a bearer token' {
            $script = {
                $identity = New-AibUserAssignedIdentity -Name 'aibIdentity' -ResourceGroupName 'aib-images' -Verbose -Debug
                $role = New-AibRoleDefinition -Scenario ImageCreation -ResourceGroupName 'aib-images' -Verbose -Debug
                $identity | New-AibRoleAssignment -RoleDefinitionId $role.Id -ResourceGroupName 'aib-images' -ObjectType ServicePrincipal -Verbose -Debug
                Get-AibContext
            }
            $ps = Start-AibRunspaceCommand -Emulator $emulator -Script $script.ToString()
            try {
                Wait-AibCondition -Condition { $ps.InvocationStateInfo.State -ne 'Running' } | Should -BeTrue
                $ps.InvocationStateInfo.State | Should -Be 'Completed'
                $output = @($ps.EndInvoke($ps.AsyncResult))
                $text = @(
                    $output | ForEach-Object { $_ | Format-List -Property * | Out-String }
                    $ps.Streams.Verbose | ForEach-Object { $_.Message }
                    $ps.Streams.Debug | ForEach-Object { $_.Message }
                    $ps.Streams.Warning | ForEach-Object { $_.Message }
                    $ps.Streams.Information | ForEach-Object { "$($_.MessageData)" }
                    $ps.Streams.Error | ForEach-Object { "$_" }
                ) -join "`n"
                @($ps.Streams.Debug | Where-Object { $_.Message -like '`[aibperm`]*' }).Count | Should -BeGreaterThan 0
                @($ps.Streams.Verbose | Where-Object { $_.Message -like '`[aibperm`]*' }).Count | Should -BeGreaterThan 0
                $text | Should -Not -Match ([regex]::Escape($secret))
                $text | Should -Not -Match '(?i)bearer\s+[A-Za-z0-9._-]{20,}'
                $text | Should -Not -Match 'eyJ[A-Za-z0-9_-]{10,}\.'
            } finally {
                $ps.Dispose()
            }
        }
    }
}
