use plimsoll_iam::PolicyKind;
use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};

use crate::support::iam::allow_statements;

declare_rule! {
    /// ## What it does
    /// Flags role trust policies that let a compute service assume the role: Amazon EC2
    /// (`ec2.amazonaws.com`), AWS Lambda (`lambda.amazonaws.com`, `edgelambda.amazonaws.com`), Amazon
    /// ECS tasks (`ecs-tasks.amazonaws.com`) and Amazon EKS (`eks.amazonaws.com`,
    /// `pods.eks.amazonaws.com`).
    ///
    /// This is an inventory, not a fault: workloads need roles. It is off by default; enable it to list
    /// the roles whose permissions are one code-execution bug away from an attacker, and review that
    /// each holds no more than its workload needs.
    ///
    /// ## Why is this bad?
    /// Whoever runs code in the workload gets the role's credentials: from the instance metadata service
    /// on EC2, from the environment in Lambda, from the task or pod credential endpoint in ECS and EKS. A
    /// broad role on a compute service turns a web application bug (remote code execution, or a
    /// server-side request forgery reaching IMDSv1) into access to the account.
    ///
    /// ## Example
    /// ```iam,bad
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ///   ]
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/deployer"}, "Action": "sts:AssumeRole"}
    ///   ]
    /// }
    /// ```
    ///
    /// ## References
    /// - [Use an IAM role to grant permissions to applications running on Amazon EC2 instances](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html)
    /// - [Use IMDSv2](https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html)
    code: "IAM028",
    name: "compute-service-trust",
    family: Iam,
    severity: Info,
    default_enabled: false,
    formats: [Iam],
    aliases: ["AssumableByComputeService"],
    checks: [Check::Iam(check)],
}

/// Service principals that run customer code with the role's credentials, and what they run.
const COMPUTE: [(&str, &str); 6] = [
    ("ec2.amazonaws.com", "EC2 instances"),
    ("lambda.amazonaws.com", "Lambda functions"),
    ("edgelambda.amazonaws.com", "Lambda@Edge functions"),
    ("ecs-tasks.amazonaws.com", "ECS tasks"),
    ("eks.amazonaws.com", "the EKS cluster"),
    ("pods.eks.amazonaws.com", "EKS pods"),
];

fn check(ctx: &IamCtx, r: &mut Reporter) {
    for (policy, statement) in allow_statements(ctx) {
        if policy.kind != PolicyKind::Trust {
            continue;
        }
        for (kind, service) in statement.principals() {
            let Some((_, runs)) =
                COMPUTE.iter().find(|(name, _)| kind == "Service" && *name == service.value)
            else {
                continue;
            };
            r.report(
                service.range,
                format!("Code running in {runs} can use this role, so a compromise of that code gets its permissions"),
            )
            .help("grant the role only what the workload needs (and, on EC2, require IMDSv2)");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, iam_spans, policy};

    #[test]
    fn compute_services_are_listed() {
        let text = policy(
            r#"{"Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com", "states.amazonaws.com"]}, "Action": "sts:AssumeRole"}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["lambda.amazonaws.com"]);
    }

    #[test]
    fn other_services_and_resource_policies_pass() {
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Principal": {"Service": "config.amazonaws.com"}, "Action": "sts:AssumeRole"}"#,
            ),
        );
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#,
            ),
        );
    }
}
