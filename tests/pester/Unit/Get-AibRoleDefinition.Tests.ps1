Describe 'Get-AibRoleDefinition' -Tag 'Unit' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'UnitHelpers.ps1')
        $readerGuid = 'acdd72a7-3385-48ef-bd42-f606fba81ae7'
        function New-TestRoleJson {
            param ($RoleName, $Guid = 'aaaaaaaa-0000-0000-0000-000000000001', $Type = 'CustomRole')
            [pscustomobject]@{
                id = "/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/$Guid"; name = $Guid; roleName = $RoleName
                description = 'd'; roleType = $Type; actions = @('*/read'); notActions = @(); dataActions = @(); notDataActions = @()
                assignableScopes = @('/subscriptions/x'); outcome = 'Found'
            }
        }
    }

    BeforeEach {
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'roleDefinition.list' } -MockWith {
            [pscustomobject]@{ value = @((New-TestRoleJson -RoleName "O'Brien and images"), (New-TestRoleJson -RoleName 'Reader' -Guid $readerGuid -Type 'BuiltInRole')) }
        }
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'roleDefinition.get' } -MockWith {
            New-TestRoleJson -RoleName 'Reader' -Guid $Request.name -Type 'BuiltInRole'
        }
        Set-TestContext -SubscriptionId $SubscriptionId
    }

    AfterEach {
        Reset-TestSession
    }

    Context 'when -Name is given' {
        It 'asks the library for that name at the context subscription' {
            $null = Get-AibRoleDefinition -Name "o'brien AND images"
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'roleDefinition.list' -and $Request.roleName -eq "o'brien AND images" -and $Request.scope -eq "/subscriptions/$SubscriptionId"
            }
        }

        It 'writes only the role whose name matches exactly, ignoring case' {
            $result = @(Get-AibRoleDefinition -Name "o'brien AND images")
            $result.Name | Should -Be @("O'Brien and images")
            $result[0].PSObject.TypeNames | Should -Contain 'AibPermissions.RoleDefinition'
        }

        It 'warns when no role matches' {
            $result = @(Get-AibRoleDefinition -Name 'Readers' -WarningVariable warnings -WarningAction SilentlyContinue)
            $result.Count | Should -Be 0
            @($warnings).Count | Should -Be 1
        }
    }

    Context 'when -Id is given' {
        It 'reads a GUID at the context subscription' {
            (Get-AibRoleDefinition -Id $readerGuid).Id | Should -Be $readerGuid
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'roleDefinition.get' -and $Request.name -eq $readerGuid -and $Request.scope -eq "/subscriptions/$SubscriptionId"
            }
        }

        It 'reads a full id at the scope inside it' {
            $null = Get-AibRoleDefinition -Id "/subscriptions/00000000-0000-0000-0000-0000000000bb/providers/Microsoft.Authorization/roleDefinitions/$readerGuid"
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Request.scope -eq '/subscriptions/00000000-0000-0000-0000-0000000000bb' -and $Request.name -eq $readerGuid
            }
        }

        It 'warns instead of failing when the role is not visible' {
            Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'roleDefinition.get' } -MockWith {
                throw (New-TestNativeException -StatusName 'SERVICE' -Status 400 -HttpStatus 404 -ArmCode 'RoleDefinitionDoesNotExist')
            }
            $result = @(Get-AibRoleDefinition -Id $readerGuid -WarningVariable warnings -WarningAction SilentlyContinue)
            $result.Count | Should -Be 0
            @($warnings).Count | Should -Be 1
        }

        It 'rejects an id that is no role definition id' {
            { Get-AibRoleDefinition -Id '/subscriptions/x/providers/Microsoft.Compute/images/abc' } | Should -Throw -ErrorId 'INVALID_ARGUMENT.Id,Get-AibRoleDefinition'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly
        }
    }

    Context 'when -Custom is given' {
        It 'asks for custom roles only at the scope given' {
            $null = Get-AibRoleDefinition -Custom -Scope '/subscriptions/x/resourceGroups/rg'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'roleDefinition.list' -and $Request.customOnly -eq $true -and $Request.scope -eq '/subscriptions/x/resourceGroups/rg'
            }
        }
    }

    Context 'parameter sets' {
        It 'has Name as the default set with -Name at position 0, and Id, Custom sets' {
            $command = Get-Command -Name Get-AibRoleDefinition
            $command.DefaultParameterSet | Should -Be 'Name'
            $command.Parameters['Name'].ParameterSets['Name'].Position | Should -Be 0
            @($command.ParameterSets.Name | Sort-Object) | Should -Be @('Custom', 'Id', 'Name')
        }
    }
}
