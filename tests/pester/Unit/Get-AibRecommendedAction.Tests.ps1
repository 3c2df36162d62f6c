Describe 'Errors with a known fix' -Tag 'Unit' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'UnitHelpers.ps1')

        function Get-TestRecord {
            param ([AibPermissions.NativeException] $Exception, [object] $Target = '/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/aib-images')
            InModuleScope -ModuleName AibPermissions -Parameters @{ Exception = $Exception; Target = $Target } {
                param ($Exception, $Target)
                New-AibErrorRecord -Exception $Exception -Target $Target
            }
        }
    }

    Context 'when ARM refuses the caller with AuthorizationFailed' {
        It 'is PermissionDenied and says which permission is needed at the scope' {
            $record = Get-TestRecord -Exception (New-TestNativeException -StatusName 'SERVICE' -Status 400 -HttpStatus 403 -ArmCode 'AuthorizationFailed')
            $record.FullyQualifiedErrorId | Should -Be 'AuthorizationFailed'
            $record.CategoryInfo.Category | Should -Be 'PermissionDenied'
            $record.TargetObject | Should -Be '/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/aib-images'
            $record.ErrorDetails.RecommendedAction | Should -Match 'Microsoft\.Authorization/roleAssignments/write'
            $record.ErrorDetails.RecommendedAction | Should -Match 'resourceGroups/aib-images'
        }
    }

    Context 'when the principal is still unknown at the deadline' {
        It 'is OperationTimeout with the ARM code and names -ReplicationTimeoutSeconds and -ObjectType' {
            $exception = New-TestNativeException -StatusName 'DEADLINE_EXCEEDED' -Status 301 -HttpStatus 400 -ArmCode 'PrincipalNotFound' -Target 'principalId'
            $record = Get-TestRecord -Exception $exception
            $record.FullyQualifiedErrorId | Should -Be 'PrincipalNotFound'
            $record.CategoryInfo.Category | Should -Be 'OperationTimeout'
            $record.ErrorDetails.RecommendedAction | Should -Match '-ReplicationTimeoutSeconds'
            $record.ErrorDetails.RecommendedAction | Should -Match '-ObjectType ServicePrincipal'
        }
    }

    Context 'when a role name is taken in the directory' {
        It 'is ResourceExists and names the parameter that resolves it, for <Code>' -ForEach @(
            @{ Code = 'RoleDefinitionWithSameNameExists'; StatusName = 'SERVICE'; Status = 400; Http = 409; Target = $null }
            @{ Code = $null; StatusName = 'CONFLICT'; Status = 410; Http = 0; Target = 'roleName' }
        ) {
            $exception = New-TestNativeException -StatusName $StatusName -Status $Status -HttpStatus $Http -ArmCode $Code -Target $Target
            $record = Get-TestRecord -Exception $exception
            $record.CategoryInfo.Category | Should -Be 'ResourceExists'
            $record.ErrorDetails.RecommendedAction | Should -Match '-RoleName'
        }
    }

    Context 'when the token has expired or is refused' {
        It 'is AuthenticationError and points to Connect-AibAccount' {
            $record = Get-TestRecord -Exception (New-TestNativeException -StatusName 'SERVICE' -Status 400 -HttpStatus 401 -ArmCode 'ExpiredAuthenticationToken')
            $record.CategoryInfo.Category | Should -Be 'AuthenticationError'
            $record.ErrorDetails.RecommendedAction | Should -Match 'Connect-AibAccount'
        }
    }

    Context 'when ARM cannot be reached' {
        It 'is ConnectionError and says what to check' {
            $record = Get-TestRecord -Exception (New-TestNativeException -StatusName 'TRANSPORT' -Status 300)
            $record.FullyQualifiedErrorId | Should -Be 'TRANSPORT'
            $record.CategoryInfo.Category | Should -Be 'ConnectionError'
            $record.ErrorDetails.RecommendedAction | Should -Match 'Get-AibContext'
        }
    }

    Context 'when no fix is known' {
        It 'leaves RecommendedAction empty rather than guessing' {
            $record = Get-TestRecord -Exception (New-TestNativeException -StatusName 'SERVICE' -Status 400 -HttpStatus 404 -ArmCode 'ResourceGroupNotFound')
            $record.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $record.ErrorDetails | Should -BeNullOrEmpty
        }
    }
}
