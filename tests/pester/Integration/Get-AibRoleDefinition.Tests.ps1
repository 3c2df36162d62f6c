Describe 'Get-AibRoleDefinition against the emulator' -Tag 'Integration' {
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

    Context 'when reading role definitions' {
        It 'finds a built-in role by name whatever the letter case' {
            $role = Get-AibRoleDefinition -Name 'reader'
            $role.Id | Should -Be $readerGuid
            $role.IsCustom | Should -BeFalse
        }

        It 'finds a role by GUID and by full id' {
            (Get-AibRoleDefinition -Id $readerGuid).Name | Should -Be 'Reader'
            (Get-AibRoleDefinition -Id "/subscriptions/$sub/providers/Microsoft.Authorization/roleDefinitions/$readerGuid").Name | Should -Be 'Reader'
        }

        It 'lists only custom roles with -Custom' {
            $null = New-AibRoleDefinition -Role ([pscustomobject]@{
                Name = "O'Brien and images"; Description = 'test'; Actions = @('Microsoft.Compute/images/read'); AssignableScopes = @("$rg/rg")
            })
            $custom = @(Get-AibRoleDefinition -Custom -Scope "$rg/rg")
            $custom.Name | Should -Contain "O'Brien and images"
            $custom | ForEach-Object { $_.IsCustom | Should -BeTrue }
            (Get-AibRoleDefinition -Name "o'brien AND images" -Scope "$rg/rg").Actions | Should -Be @('Microsoft.Compute/images/read')
        }

        It 'warns and returns nothing for a name no role has' {
            $warnings = $null
            $result = @(Get-AibRoleDefinition -Name 'No such role' -WarningVariable warnings -WarningAction SilentlyContinue)
            $result.Count | Should -Be 0
            $warnings.Count | Should -Be 1
        }
    }
}
