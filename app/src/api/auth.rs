//! Staff roles, login and "who am I".

use serde::{Deserialize, Serialize};

use super::{
    ApiError,
    client::{Method, get, send},
    org::StaffView,
};

/// What a staff member may do. A person may hold several roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 窗口工作人员
    Clerk,
    /// 首席代表
    ChiefRepresentative,
    /// 督查（审批服务管理局）
    Supervisor,
    /// 系统管理员
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Clerk,
        Role::ChiefRepresentative,
        Role::Supervisor,
        Role::Admin,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Clerk => "clerk",
            Role::ChiefRepresentative => "chief_representative",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Clerk => "窗口工作人员",
            Role::ChiefRepresentative => "首席代表",
            Role::Supervisor => "督查",
            Role::Admin => "系统管理员",
        }
    }

    /// The workspace this role opens, as the navigation names it.
    /// The pages a phone's menu lists for the role: its workspace, and for a supervisor (whose
    /// work is a dozen pages) each of them.
    pub fn menu(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Role::Supervisor => &SUPERVISOR_PAGES,
            Role::Clerk => &[("窗口工作台", "/clerk")],
            Role::ChiefRepresentative => &[("首席代表", "/chief")],
            Role::Admin => &[("系统管理", "/admin")],
        }
    }

    pub fn workspace(self) -> (&'static str, &'static str) {
        match self {
            Role::Clerk => ("窗口工作台", "/clerk"),
            Role::ChiefRepresentative => ("首席代表", "/chief"),
            Role::Supervisor => ("督查", "/supervisor"),
            Role::Admin => ("系统管理", "/admin"),
        }
    }
}

/// The supervisor's pages: the overview first, then what its link row names.
pub const SUPERVISOR_PAGES: [(&str, &str); 10] = [
    ("督查总览", "/supervisor/overview"),
    ("整改清单", "/supervisor/rectifications"),
    ("问题列表", "/supervisor/problems"),
    ("整改清单月报表", "/supervisor/monthly"),
    ("月通报", "/supervisor/bulletin"),
    ("周巡查", "/supervisor/patrol"),
    ("季考核/年评定", "/supervisor/scores"),
    ("约谈", "/supervisor/interviews"),
    ("申诉复核", "/supervisor/ratings?appeal=pending"),
    ("登记问题", "/supervisor/new-problem"),
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub staff_number: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

/// The signed-in staff member and where they work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Me {
    pub staff: StaffView,
    pub unit_name: Option<String>,
    pub center_id: Option<i64>,
    pub center_name: Option<String>,
}

impl Me {
    pub fn has(&self, role: Role) -> bool {
        self.staff.roles.contains(&role)
    }

    /// The first workspace of this person, where login lands.
    pub fn home(&self) -> &'static str {
        Role::ALL
            .into_iter()
            .find(|r| self.has(*r))
            .map(|r| r.workspace().1)
            .unwrap_or("/")
    }
}

pub async fn me() -> Result<Me, ApiError> {
    get("/api/v1/auth/me".into()).await
}

pub async fn login(body: LoginRequest) -> Result<Me, ApiError> {
    send(Method::Post, "/api/v1/auth/login".into(), Some(&body)).await
}

pub async fn logout() -> Result<(), ApiError> {
    send::<(), ()>(Method::Post, "/api/v1/auth/logout".into(), None).await
}

pub async fn change_password(body: ChangePasswordRequest) -> Result<(), ApiError> {
    send(Method::Post, "/api/v1/auth/password".into(), Some(&body)).await
}
