//! The lists of the organisation that an admin page names in its tables and offers in its forms:
//! the units page shows each unit's center and offers the centers, and so on.

use std::future::Future;

use serde::{Deserialize, Serialize};

use crate::api::{
    ApiError, Items, Role,
    org::{self, CenterView, StaffView, UnitView, WindowView},
};

/// One list of the organisation.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum OrgList {
    Centers,
    Units,
    Staff,
    Windows,
}

/// The lists a page asked for; the others stay empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Lookups {
    pub centers: Vec<CenterView>,
    pub units: Vec<UnitView>,
    pub staff: Vec<StaffView>,
    pub windows: Vec<WindowView>,
}

/// Loads `lists` at once. Joined, every call starts on the first poll, while the render's context
/// is current (a call started after an await may find it gone).
pub async fn load(lists: &'static [OrgList]) -> Result<Lookups, ApiError> {
    let wanted = |list| lists.contains(&list);
    let (centers, units, staff, windows) = futures::try_join!(
        items_if(wanted(OrgList::Centers), org::centers()),
        items_if(wanted(OrgList::Units), org::units()),
        items_if(wanted(OrgList::Staff), org::staff()),
        items_if(wanted(OrgList::Windows), org::windows()),
    )?;
    Ok(Lookups {
        centers,
        units,
        staff,
        windows,
    })
}

async fn items_if<T>(
    wanted: bool,
    call: impl Future<Output = Result<Items<T>, ApiError>>,
) -> Result<Vec<T>, ApiError> {
    if wanted {
        call.await.map(|list| list.items)
    } else {
        Ok(Vec::new())
    }
}

/// `(id, label)` as a select's option.
fn option(id: i64, label: String) -> (String, String) {
    (id.to_string(), label)
}

impl Lookups {
    pub fn center_name(&self, id: i64) -> String {
        let center = self.centers.iter().find(|c| c.id == id);
        center.map(|c| c.name.clone()).unwrap_or_default()
    }

    /// The unit's name, or a dash for staff of no unit (supervisors, administrators).
    pub fn unit_name(&self, id: Option<i64>) -> String {
        let unit = self.units.iter().find(|u| Some(u.id) == id);
        unit.map_or_else(|| "—".into(), |u| u.name.clone())
    }

    /// 企业开办科、税务登记科: the names of these units.
    pub fn unit_names(&self, ids: &[i64]) -> String {
        let names: Vec<&str> = self
            .units
            .iter()
            .filter(|u| ids.contains(&u.id))
            .map(|u| u.name.as_str())
            .collect();
        names.join("、")
    }

    pub fn active_centers(&self) -> Vec<(String, String)> {
        let active = self.centers.iter().filter(|c| c.active);
        active.map(|c| option(c.id, c.name.clone())).collect()
    }

    pub fn active_units(&self) -> Vec<(String, String)> {
        self.active_units_where(|_| true)
    }

    pub fn active_units_of(&self, center: Option<i64>) -> Vec<(String, String)> {
        self.active_units_where(|u| Some(u.center_id) == center)
    }

    fn active_units_where(&self, keep: impl Fn(&UnitView) -> bool) -> Vec<(String, String)> {
        let units = self.units.iter().filter(|u| u.active && keep(u));
        units.map(|u| option(u.id, u.name.clone())).collect()
    }

    /// Active windows serving the unit: where its staff may sit.
    pub fn windows_of_unit(&self, unit: Option<i64>) -> Vec<(String, String)> {
        let serving = |w: &&WindowView| unit.is_some_and(|u| w.unit_ids.contains(&u));
        let windows = self.windows.iter().filter(|w| w.active).filter(serving);
        windows
            .map(|w| {
                let name = w.name.clone().unwrap_or_default();
                option(w.id, format!("{} {name}", w.number))
            })
            .collect()
    }

    /// Active chief representatives of the unit: who may be named its 首席代表.
    pub fn chiefs_of_unit(&self, unit: Option<i64>) -> Vec<(String, String)> {
        let chief = |s: &&StaffView| {
            s.active && s.roles.contains(&Role::ChiefRepresentative) && unit.is_some()
        };
        let of_unit = self
            .staff
            .iter()
            .filter(chief)
            .filter(|s| s.unit_id == unit);
        of_unit
            .map(|s| option(s.id, format!("{}（{}）", s.name, s.staff_number)))
            .collect()
    }

    /// Units an item may belong to, named with their center; an inactive unit is offered only
    /// when it is the one already `chosen` (so that editing an old item does not lose it).
    pub fn units_with_centers(&self, chosen: &str) -> Vec<(String, String)> {
        let offered = self
            .units
            .iter()
            .filter(|u| u.active || u.id.to_string() == chosen);
        offered
            .map(|u| {
                let center = self.centers.iter().find(|c| c.id == u.center_id);
                let mut label = match center {
                    Some(c) => format!("{}（{}）", u.name, c.name),
                    None => u.name.clone(),
                };
                if !u.active {
                    label.push_str("［已停用］");
                }
                option(u.id, label)
            })
            .collect()
    }
}
