Describe 'Set-AibRoleDefinition against the emulator' -Tag 'Integration' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'IntegrationHelpers.ps1')
        $emulator = Start-AibEmulator
        $sub = $emulator.SubscriptionId
        foreach ($group in 'rg', 'rg01', 'rg2') {
            New-TestResourceGroup -SubscriptionId $sub -Name $group
        }
        $rg = "/subscriptions/$sub/resourceGroups"
        $identity = New-AibUserAssignedIdentity -Name 'aibIdentity' -ResourceGroupName 'rg'
        $readerGuid = 'acdd72a7-3385-48ef-bd42-f606fba81ae7'
    }

    AfterAll {
        Stop-AibEmulator
    }

    Context 'when a role is updated with Set-AibRoleDefinition' {
        It 'updates what Get pipes in' {
            $role = New-AibRoleDefinition -Role ([pscustomobject]@{
                Name = 'Set by pipe'; Description = 'v1'; Actions = @('Microsoft.Compute/images/read'); AssignableScopes = @("$rg/rg")
            })
            $fetched = Get-AibRoleDefinition -Id $role.Id -Scope "$rg/rg"
            $fetched.Description = 'v2'
            $fetched.Actions = @('Microsoft.Compute/images/read', 'Microsoft.Compute/images/write')
            $updated = $fetched | Set-AibRoleDefinition
            $updated.Action | Should -Be 'Updated'
            $updated.Id | Should -Be $role.Id
            $again = Get-AibRoleDefinition -Id $role.Id -Scope "$rg/rg"
            $again.Description | Should -Be 'v2'
            $again.Actions | Should -Be @('Microsoft.Compute/images/read', 'Microsoft.Compute/images/write')
        }

        It 'finds the role at its old scope when AssignableScopes move to another group' {
            $role = New-AibRoleDefinition -Role ([pscustomobject]@{
                Name = 'Moving role'; Description = 'moves'; Actions = @('Microsoft.Compute/images/read'); AssignableScopes = @("$rg/rg")
            })
            $file = Join-Path -Path $TestDrive -ChildPath 'moving.json'
            $content = [ordered]@{
                Name = 'Moving role'; Id = $role.Id; IsCustom = $true; Description = 'moved'
                Actions = @('Microsoft.Compute/images/read'); NotActions = @(); AssignableScopes = @("$rg/rg2")
            }
            Set-Content -LiteralPath $file -Value ($content | ConvertTo-Json)
            $updated = Set-AibRoleDefinition -InputFile $file
            $updated.Id | Should -Be $role.Id
            $updated.AssignableScopes | Should -Be @("$rg/rg2")
            $state = Get-EmulatorState -Emulator $emulator
            @($state.roleDefinitions | Where-Object { $_.properties.roleName -eq 'Moving role' }).Count | Should -Be 1
            (Get-AibRoleDefinition -Id $role.Id -Scope "$rg/rg2").Description | Should -Be 'moved'
        }

        It 'refuses a role without an Id' {
            $role = [pscustomobject]@{ Name = 'No id'; Description = 'x'; Actions = @('Microsoft.Compute/images/read'); AssignableScopes = @("$rg/rg") }
            { Set-AibRoleDefinition -Role $role } | Should -Throw -ErrorId 'INVALID_ARGUMENT.Id,Set-AibRoleDefinition'
        }

        It 'reports ObjectNotFound for an Id no role has' {
            $role = [pscustomobject]@{ Name = 'Ghost'; Id = [guid]::NewGuid().ToString(); Description = 'x'; Actions = @('Microsoft.Compute/images/read'); AssignableScopes = @("$rg/rg") }
            $thrown = { Set-AibRoleDefinition -Role $role } | Should -Throw -PassThru
            $thrown.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            @((Get-EmulatorState -Emulator $emulator).roleDefinitions | Where-Object { $_.properties.roleName -eq 'Ghost' }).Count | Should -Be 0
        }
    }
}
