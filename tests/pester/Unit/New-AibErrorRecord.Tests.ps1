Describe 'New-AibErrorRecord' -Tag 'Unit' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'UnitHelpers.ps1')
    }

    Context 'when the native status is <StatusName> with HTTP <Http>' -ForEach @(
        @{ StatusName = 'INVALID_ARGUMENT'; Status = 103; Http = 0; Code = $null; Target = 'scope'; Category = 'InvalidArgument'; ErrorId = 'INVALID_ARGUMENT.scope' }
        @{ StatusName = 'INVALID_JSON'; Status = 102; Http = 0; Code = $null; Target = $null; Category = 'InvalidArgument'; ErrorId = 'INVALID_JSON' }
        @{ StatusName = 'CONFLICT'; Status = 410; Http = 0; Code = $null; Target = 'roleName'; Category = 'ResourceExists'; ErrorId = 'CONFLICT' }
        @{ StatusName = 'SERVICE'; Status = 400; Http = 409; Code = 'RoleDefinitionWithSameNameExists'; Target = $null; Category = 'ResourceExists'; ErrorId = 'RoleDefinitionWithSameNameExists' }
        @{ StatusName = 'SERVICE'; Status = 400; Http = 403; Code = 'AuthorizationFailed'; Target = $null; Category = 'PermissionDenied'; ErrorId = 'AuthorizationFailed' }
        @{ StatusName = 'SERVICE'; Status = 400; Http = 404; Code = 'RoleDefinitionDoesNotExist'; Target = $null; Category = 'ObjectNotFound'; ErrorId = 'RoleDefinitionDoesNotExist' }
        @{ StatusName = 'SERVICE'; Status = 400; Http = 401; Code = 'ExpiredAuthenticationToken'; Target = $null; Category = 'AuthenticationError'; ErrorId = 'ExpiredAuthenticationToken' }
        @{ StatusName = 'SERVICE'; Status = 400; Http = 429; Code = 'TooManyRequests'; Target = $null; Category = 'LimitsExceeded'; ErrorId = 'TooManyRequests' }
        @{ StatusName = 'CREDENTIAL'; Status = 200; Http = 0; Code = $null; Target = $null; Category = 'AuthenticationError'; ErrorId = 'CREDENTIAL' }
        @{ StatusName = 'TRANSPORT'; Status = 300; Http = 0; Code = $null; Target = $null; Category = 'ConnectionError'; ErrorId = 'TRANSPORT' }
        @{ StatusName = 'DEADLINE_EXCEEDED'; Status = 301; Http = 0; Code = $null; Target = $null; Category = 'OperationTimeout'; ErrorId = 'DEADLINE_EXCEEDED' }
        @{ StatusName = 'CANCELLED'; Status = 302; Http = 0; Code = $null; Target = $null; Category = 'OperationStopped'; ErrorId = 'CANCELLED' }
    ) {
        It 'has category <Category> and ErrorId <ErrorId>' {
            $exception = New-TestNativeException -StatusName $StatusName -Status $Status -HttpStatus $Http -ArmCode $Code -Target $Target
            $record = InModuleScope -ModuleName AibPermissions -Parameters @{ Exception = $exception } {
                param ($Exception)
                New-AibErrorRecord -Exception $Exception -Target '/subscriptions/x'
            }
            $record.CategoryInfo.Category | Should -Be $Category
            $record.FullyQualifiedErrorId | Should -Be $ErrorId
            $record.TargetObject | Should -Be '/subscriptions/x'
            $record.Exception | Should -Be $exception
        }
    }

    Context 'when the library recommends an action' {
        It 'puts it in ErrorDetails.RecommendedAction' {
            $exception = New-Object -TypeName AibPermissions.NativeException -ArgumentList @([uint32]410, 'CONFLICT', 'clash', 0, $null, $null, 'roleName', 'Pass -RoleName with another name.', '{}')
            $record = InModuleScope -ModuleName AibPermissions -Parameters @{ Exception = $exception } {
                param ($Exception)
                New-AibErrorRecord -Exception $Exception
            }
            $record.ErrorDetails.RecommendedAction | Should -Be 'Pass -RoleName with another name.'
            $record.TargetObject | Should -Be 'roleName'
        }
    }

    Context 'when the library returns error JSON' {
        It 'carries every field into the exception' {
            $json = '{"status":400,"statusName":"SERVICE","httpStatus":409,"armCode":"RoleAssignmentExists","message":"exists","requestId":"r-1","target":null,"recommendedAction":null}'
            $exception = InModuleScope -ModuleName AibPermissions -Parameters @{ Json = $json } {
                param ($Json)
                New-AibNativeException -Status 400 -ErrorJson $Json -Operation 'roleAssignment.create'
            }
            $exception.StatusName | Should -Be 'SERVICE'
            $exception.HttpStatus | Should -Be 409
            $exception.ArmCode | Should -Be 'RoleAssignmentExists'
            $exception.RequestId | Should -Be 'r-1'
            $exception.Message | Should -Be 'exists'
            $exception.Status | Should -Be 400
        }
    }
}
