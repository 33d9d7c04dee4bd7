//! The demo catalog: fourteen service items (事项) of the three demo units — 区市场监督管理局,
//! 区人力资源和社会保障局 (both in the district hall) and 良田镇社会事务办 (in the town center) —
//! covering all seven categories of the seed notice (Seed §二(二)一): 行政许可, 行政确认, 行政给付,
//! 行政裁决, 行政奖励, 其他行政权力, 公共服务.
//!
//! Each item reads like the service guide (事项服务指南) a real district hall in Ningxia publishes:
//! legal basis, conditions, every material with originals/copies, count, form and source, steps,
//! the promised limit beside the statutory one, stage limits, the special procedures that may stop
//! the clock, the extension bound, fee (all free of charge), place and phone.
//!
//! - Codes are `640106-<类别>-<序号>`: 640106 is 金凤区's administrative division code; the letters
//!   name the category (XK 许可, QR 确认, JF 给付, CJ 裁决, JL 奖励, QT 其他, GG 公共服务).
//! - Statutory limits are those the cited law sets where it sets one in working days (食品经营许可:
//!   10 working days, extension 5; 人力资源服务许可: 20 days; 失业保险金: 10 days; 最低生活保障:
//!   30 working days, extendable to 45). Where the law counts in months (专利侵权纠纷: three months
//!   from the case being opened, extendable by one month) the catalog states the working-day
//!   equivalent (60, extension 20). The remaining statutory figures are the hall's published ones.
//! - Five items are immediate (即办件); two follow 告知承诺制 (国办发〔2020〕42号).
//! - 个体工商户 registration cites the 《促进个体工商户发展条例》 and the 《市场主体登记管理条例》:
//!   the older 《个体工商户条例》 was repealed on 2022-11-01.

use app::api::catalog::{
    CommitmentSpec, Copies, ItemCategory, LimitSpec, Material, MaterialForm, ServiceItemInput,
};
use rules::{SpecialProcedure, Stage, StageLimit, review::MaterialRequirement};

/// The demo units the items belong to.
pub struct DemoUnits {
    pub market: i64,
    pub social: i64,
    pub town_affairs: i64,
}

/// 区市场监督管理局 (district hall).
pub const MARKET_PHONE: &str = "0951-6888201";
/// 区人力资源和社会保障局 (district hall).
pub const SOCIAL_PHONE: &str = "0951-6888202";
/// 良田镇社会事务办 (良田镇民生服务中心).
pub const TOWN_PHONE: &str = "0951-6012346";

const PLACE_A01: &str = "金凤区政务服务中心一楼 A 区 A01 窗口（企业开办）";
const PLACE_A02: &str = "金凤区政务服务中心一楼 A 区 A02 窗口（食品经营许可）";
const PLACE_C01: &str = "金凤区政务服务中心一楼 C 区 C01 窗口（综合受理）";
const PLACE_B01: &str = "金凤区政务服务中心一楼 B 区 B01 窗口（社保业务）";
const PLACE_B02: &str = "金凤区政务服务中心一楼 B 区 B02 窗口（就业创业）";
const PLACE_TOWN: &str = "良田镇民生服务中心 01 窗口（综合窗口）";

const ORIGINAL: Copies = Copies::Original;
const COPY: Copies = Copies::Copy;
const BOTH: Copies = Copies::OriginalAndCopy;
const PAPER: MaterialForm = MaterialForm::Paper;
const ANY_FORM: MaterialForm = MaterialForm::PaperOrElectronic;

const FORM_SOURCE: &str = "窗口领取或宁夏政务服务网下载";
const SELF: &str = "申请人自备";
const POLICE: &str = "公安机关";

/// Where an item is handled and who answers the phone.
struct Desk {
    unit_id: i64,
    place: &'static str,
    phone: &'static str,
}

/// A required material.
fn m(
    key: &str,
    name: &str,
    copies: Copies,
    count: u32,
    form: MaterialForm,
    source: &str,
) -> Material {
    Material {
        key: key.into(),
        name: name.into(),
        copies,
        count,
        form,
        source: source.into(),
        requirement: MaterialRequirement::Required,
        note: None,
    }
}

/// The material, required only when `condition` applies ("{condition}时提交").
fn when(condition: &str, material: Material) -> Material {
    Material {
        requirement: MaterialRequirement::Conditional {
            condition: condition.into(),
        },
        ..material
    }
}

/// The material, handed in at the applicant's choice (选交).
fn optional(material: Material) -> Material {
    Material {
        requirement: MaterialRequirement::Optional,
        ..material
    }
}

/// The material with a note for the applicant.
fn noted(note: &str, material: Material) -> Material {
    Material {
        note: Some(note.into()),
        ..material
    }
}

/// 委托他人办理: the power of attorney and the agent's ID.
fn proxy() -> Material {
    when(
        "委托他人办理",
        noted(
            "受托人须携带本人居民身份证原件",
            m(
                "proxy",
                "授权委托书及受托人居民身份证",
                ORIGINAL,
                1,
                PAPER,
                "申请人自备；身份证由公安机关核发",
            ),
        ),
    )
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_string()).collect()
}

fn stages(list: &[(Stage, u32)]) -> Vec<StageLimit> {
    list.iter()
        .map(|&(stage, working_days)| StageLimit {
            stage,
            working_days,
        })
        .collect()
}

fn promised(working_days: u32, statutory_working_days: u32) -> LimitSpec {
    LimitSpec::Promised {
        working_days,
        statutory_working_days,
    }
}

fn immediate(minutes: u32) -> LimitSpec {
    LimitSpec::Immediate { minutes }
}

/// The parts every item states; the rest is filled in per item.
fn base(
    code: &str,
    name: &str,
    category: ItemCategory,
    desk: &Desk,
    time_limit: LimitSpec,
) -> ServiceItemInput {
    ServiceItemInput {
        code: code.into(),
        name: name.into(),
        category,
        unit_id: desk.unit_id,
        legal_basis: String::new(),
        conditions: Vec::new(),
        materials: Vec::new(),
        no_materials: false,
        steps: Vec::new(),
        time_limit,
        stage_limits: Vec::new(),
        special_procedures: Vec::new(),
        extension_bound_days: 0,
        fee: None,
        place: desk.place.into(),
        phone: desk.phone.into(),
        commitment: None,
    }
}

/// The demo catalog, in the order the hall lists it.
pub fn items(units: &DemoUnits) -> Vec<ServiceItemInput> {
    use ItemCategory::*;
    use Stage::{Acceptance, Decision, Delivery, Review};

    let market_a01 = Desk {
        unit_id: units.market,
        place: PLACE_A01,
        phone: MARKET_PHONE,
    };
    let market_a02 = Desk {
        unit_id: units.market,
        place: PLACE_A02,
        phone: MARKET_PHONE,
    };
    let market_c01 = Desk {
        unit_id: units.market,
        place: PLACE_C01,
        phone: MARKET_PHONE,
    };
    let social_b01 = Desk {
        unit_id: units.social,
        place: PLACE_B01,
        phone: SOCIAL_PHONE,
    };
    let social_b02 = Desk {
        unit_id: units.social,
        place: PLACE_B02,
        phone: SOCIAL_PHONE,
    };
    let town = Desk {
        unit_id: units.town_affairs,
        place: PLACE_TOWN,
        phone: TOWN_PHONE,
    };

    vec![
        // ── 区市场监督管理局 ────────────────────────────────────────────────────────────
        ServiceItemInput {
            legal_basis: "《中华人民共和国食品安全法》第三十五条；《中华人民共和国行政许可法》；\
                          《食品经营许可和备案管理办法》（国家市场监督管理总局令第78号）"
                .into(),
            conditions: strings(&[
                "申请人已依法取得营业执照或者其他合法主体资格",
                "具有与经营的食品品种、数量相适应的食品原料处理和食品加工、销售、贮存等场所，保持场\
                    所环境整洁，并与有毒、有害场所以及其他污染源保持规定的距离",
                "具有与经营的食品品种、数量相适应的经营设备或者设施，有相应的消毒、更衣、盥洗、采光\
                    、照明、通风、防腐、防尘、防蝇、防鼠、防虫、洗涤以及处理废水、存放垃圾和废弃物\
                    的设备或者设施",
                "有专职或者兼职的食品安全管理人员和保证食品安全的规章制度",
                "具有合理的设备布局和工艺流程，防止待加工食品与直接入口食品、原料与成品交叉污染，避\
                    免食品接触有毒物、不洁物",
            ]),
            materials: vec![
                m(
                    "application_form",
                    "食品经营许可申请书",
                    ORIGINAL,
                    1,
                    PAPER,
                    FORM_SOURCE,
                ),
                noted(
                    "已在本局登记的，窗口通过系统共享核验，可不再提交",
                    m(
                        "business_license",
                        "营业执照或者其他主体资格证明文件",
                        COPY,
                        1,
                        ANY_FORM,
                        "市场监督管理部门",
                    ),
                ),
                m(
                    "id_card",
                    "法定代表人（负责人）居民身份证",
                    ORIGINAL,
                    1,
                    PAPER,
                    POLICE,
                ),
                m(
                    "layout_docs",
                    "与食品经营相适应的主要设备设施、经营布局、操作流程等文件",
                    ORIGINAL,
                    1,
                    PAPER,
                    SELF,
                ),
                m(
                    "safety_rules",
                    "食品安全自查、从业人员健康管理、进货查验记录、食品安全事故处置等保证食品安全的\
                        规章制度目录",
                    ORIGINAL,
                    1,
                    PAPER,
                    SELF,
                ),
                when(
                    "利用自动售货设备从事食品销售",
                    m(
                        "vending_machine",
                        "自动售货设备的产品合格证明、具体放置地点，经营者名称、住所、联系方式及许可\
                            证公示方法等材料",
                        BOTH,
                        1,
                        PAPER,
                        SELF,
                    ),
                ),
                proxy(),
            ],
            steps: strings(&[
                "申请：申请人到 A02 窗口或通过宁夏政务服务网提交申请材料",
                "受理：窗口当场审查，材料齐全、符合法定形式的出具《受理通知书》；不齐全或不符合法定\
                    形式的，出具《一次性补正告知书》一次告知需补正的全部内容",
                "审查：对申请材料进行实质审查，需要时对经营场所进行现场核查（现场核查时间不计入办理\
                    时限，并书面告知申请人）",
                "决定：符合条件的作出准予许可决定；不符合条件的作出不予许可的书面决定，说明理由并告\
                    知申请行政复议或者提起行政诉讼的权利",
                "送达：颁发《食品经营许可证》（纸质证书与电子证书同步发放），可窗口领取或邮寄送达",
            ]),
            stage_limits: stages(&[(Acceptance, 1), (Review, 2), (Decision, 1), (Delivery, 1)]),
            special_procedures: vec![SpecialProcedure::OnSiteVerification],
            // 《食品经营许可和备案管理办法》：因特殊原因经负责人批准可延长 5 个工作日。
            extension_bound_days: 5,
            ..base(
                "640106-XK-0001",
                "食品经营许可（新办）",
                Licensing,
                &market_a02,
                promised(5, 10),
            )
        },
        ServiceItemInput {
            legal_basis: "《中华人民共和国食品安全法》第三十五条；《中华人民共和国行政许可法》；\
                          《食品经营许可和备案管理办法》（国家市场监督管理总局令第78号）；\
                          《国务院办公厅关于全面推行证明事项和涉企经营许可事项告知承诺制的指导意见\
                          》（国办发〔2020〕42号）"
                .into(),
            conditions: strings(&[
                "持有本局核发且在有效期内的《食品经营许可证》",
                "在许可有效期届满前向原发证部门提出延续申请",
                "经营条件未发生变化的，可选择告知承诺方式办理，签署承诺书后当场作出准予延续决定；经\
                    营条件发生变化的，按新办程序审查",
            ]),
            materials: vec![
                m(
                    "application_form",
                    "食品经营许可延续申请书",
                    ORIGINAL,
                    1,
                    PAPER,
                    FORM_SOURCE,
                ),
                m(
                    "license",
                    "《食品经营许可证》正本、副本",
                    ORIGINAL,
                    1,
                    PAPER,
                    "市场监督管理部门",
                ),
                m(
                    "id_card",
                    "法定代表人（负责人）居民身份证",
                    ORIGINAL,
                    1,
                    PAPER,
                    POLICE,
                ),
                noted(
                    "租赁场所的，提供有效期覆盖延续后许可期间的租赁合同",
                    m(
                        "premises_proof",
                        "经营场所使用证明（房屋产权证明或租赁合同）",
                        COPY,
                        1,
                        PAPER,
                        SELF,
                    ),
                ),
                when(
                    "选择告知承诺方式办理",
                    m(
                        "commitment_letter",
                        "食品经营许可延续告知承诺书（申请人签字或盖章）",
                        ORIGINAL,
                        1,
                        PAPER,
                        "窗口领取",
                    ),
                ),
                proxy(),
            ],
            steps: strings(&[
                "申请：申请人到 A02 窗口或通过宁夏政务服务网提出延续申请",
                "受理：窗口审查申请材料，选择告知承诺方式的，一次性告知延续许可应当具备的条件、标准\
                    和技术要求以及后补材料的名称和期限",
                "审查：承诺件签署告知承诺书后不再进行现场核查；未选择承诺或经营条件发生变化的，依法\
                    审查并视情进行现场核查",
                "决定：作出准予延续或不予延续的决定；告知承诺的当场作出准予延续决定",
                "送达：换发《食品经营许可证》；作出决定后按期对承诺内容进行核查，承诺不实的依法撤销\
                    许可",
            ]),
            stage_limits: stages(&[(Acceptance, 1), (Review, 1), (Decision, 1)]),
            special_procedures: vec![SpecialProcedure::OnSiteVerification],
            extension_bound_days: 5,
            commitment: Some(CommitmentSpec {
                standards: strings(&[
                    "依据《中华人民共和国食品安全法》第三十三条、第三十五条和《食品经营许可和备案管\
                        理办法》，食品经营者应当持续符合许可条件",
                    "经营场所、主要设备设施、经营布局、操作流程与原许可时相比未发生变化，并与有毒、\
                        有害场所以及其他污染源保持规定的距离",
                    "配备专职或者兼职的食品安全管理人员，保证食品安全的规章制度持续有效；从事接触直\
                        接入口食品工作的从业人员取得健康证明后方可上岗",
                    "申请人对所填信息和所交材料的真实性负责；承诺内容与实际不符的，依法撤销许可，并\
                        记入信用记录",
                ]),
                deferred_materials: strings(&["premises_proof"]),
                deferred_within_working_days: 10,
                follow_up_after_working_days: 20,
            }),
            ..base(
                "640106-XK-0002",
                "食品经营许可延续",
                Licensing,
                &market_a02,
                promised(3, 10),
            )
        },
        ServiceItemInput {
            legal_basis: "《中华人民共和国行政许可法》第十二条；《促进个体工商户发展条例》；\
                          《中华人民共和国市场主体登记管理条例》第十九条、第二十四条；\
                          《中华人民共和国市场主体登记管理条例实施细则》（国家市场监督管理总局令第5\
                          2号）"
                .into(),
            conditions: strings(&[
                "已在本局登记的个体工商户，名称、经营者、组成形式、经营范围、经营场所等登记事项发生\
                    变化",
                "自作出变更决定或者法定变更事项发生之日起 30 日内申请变更登记",
                "变更经营者的，原经营者与新经营者共同签署申请书",
                "变更后的经营范围涉及许可项目的，取得营业执照后依法办理相应许可",
            ]),
            materials: vec![
                m(
                    "application_form",
                    "个体工商户变更登记申请书",
                    ORIGINAL,
                    1,
                    PAPER,
                    FORM_SOURCE,
                ),
                m("id_card", "经营者居民身份证", ORIGINAL, 1, PAPER, POLICE),
                m(
                    "business_license",
                    "营业执照正本、副本",
                    ORIGINAL,
                    1,
                    PAPER,
                    "市场监督管理部门",
                ),
                when(
                    "变更经营场所",
                    m(
                        "premises_proof",
                        "新经营场所使用证明（房屋产权证明或租赁合同）",
                        COPY,
                        1,
                        PAPER,
                        SELF,
                    ),
                ),
                when(
                    "变更经营者",
                    m(
                        "new_operator_id",
                        "新经营者居民身份证",
                        ORIGINAL,
                        1,
                        PAPER,
                        POLICE,
                    ),
                ),
                proxy(),
            ],
            steps: strings(&[
                "申请：经营者到 A01 窗口提交申请，或通过宁夏政务服务网全程网上办理",
                "审查：窗口对申请材料进行形式审查",
                "决定：材料齐全、符合法定形式的，当场予以变更登记",
                "送达：当场换发营业执照，电子营业执照同步更新",
            ]),
            ..base(
                "640106-XK-0003",
                "个体工商户变更登记",
                Licensing,
                &market_a01,
                immediate(60),
            )
        },
        ServiceItemInput {
            legal_basis: "《中华人民共和国食品安全法》第三十五条（仅销售预包装食品的，应当报所在地\
                          县级以上地方人民政府食品安全监督管理部门备案）；\
                          《食品经营许可和备案管理办法》（国家市场监督管理总局令第78号）"
                .into(),
            conditions: strings(&[
                "已依法取得营业执照或者其他合法主体资格",
                "仅从事预包装食品销售，不从事散装食品销售、食品现制现售和餐饮服务",
                "具有与销售的食品品种、数量相适应的经营场所和贮存条件",
            ]),
            materials: vec![
                m(
                    "filing_form",
                    "仅销售预包装食品备案信息采集表",
                    ORIGINAL,
                    1,
                    PAPER,
                    FORM_SOURCE,
                ),
                noted(
                    "已在本局登记的，窗口通过系统共享核验，可不再提交",
                    m(
                        "business_license",
                        "营业执照或者其他主体资格证明文件",
                        COPY,
                        1,
                        ANY_FORM,
                        "市场监督管理部门",
                    ),
                ),
                m(
                    "id_card",
                    "法定代表人（负责人）居民身份证",
                    ORIGINAL,
                    1,
                    PAPER,
                    POLICE,
                ),
                proxy(),
            ],
            steps: strings(&[
                "提交：经营者到 A02 窗口或通过宁夏政务服务网提交备案信息",
                "核对：窗口核对备案信息与材料",
                "备案：材料齐全的当场备案，发放备案编号",
                "公开：备案信息在市场监督管理部门网站向社会公开",
            ]),
            ..base(
                "640106-QT-0001",
                "仅销售预包装食品备案",
                OtherPower,
                &market_a02,
                immediate(30),
            )
        },
        ServiceItemInput {
            legal_basis: "《中华人民共和国专利法》第六十五条；《中华人民共和国专利法实施细则》；\
                          《专利行政执法办法》（国家知识产权局令第71号）"
                .into(),
            conditions: strings(&[
                "请求人是专利权人或者利害关系人",
                "有明确的被请求人",
                "有明确的请求事项和具体事实、理由",
                "属于本部门的受案和管辖范围",
                "当事人没有就该专利侵权纠纷向人民法院起诉",
            ]),
            materials: vec![
                noted(
                    "按被请求人数量另附副本",
                    m(
                        "request",
                        "专利侵权纠纷处理请求书",
                        ORIGINAL,
                        2,
                        PAPER,
                        SELF,
                    ),
                ),
                m(
                    "patent_certificate",
                    "专利证书",
                    BOTH,
                    1,
                    PAPER,
                    "国家知识产权局",
                ),
                m(
                    "patent_validity",
                    "专利登记簿副本或者专利权有效的证明文件",
                    ORIGINAL,
                    1,
                    PAPER,
                    "国家知识产权局",
                ),
                m(
                    "identity_proof",
                    "请求人主体资格证明（自然人提交居民身份证，单位提交营业执照及法定代表人身份证明\
                        ）",
                    BOTH,
                    1,
                    PAPER,
                    SELF,
                ),
                m(
                    "evidence",
                    "被请求人实施侵权行为的证据材料",
                    BOTH,
                    1,
                    PAPER,
                    SELF,
                ),
                when(
                    "涉及实用新型或者外观设计专利",
                    m(
                        "evaluation_report",
                        "专利权评价报告",
                        COPY,
                        1,
                        ANY_FORM,
                        "国家知识产权局",
                    ),
                ),
                when(
                    "委托专利代理机构或者他人代理",
                    m(
                        "power_of_attorney",
                        "授权委托书（写明委托权限）及代理人身份证明",
                        ORIGINAL,
                        1,
                        PAPER,
                        SELF,
                    ),
                ),
            ],
            steps: strings(&[
                "申请：请求人到 C01 窗口提交处理请求书及证据材料",
                "立案：自收到请求书之日起 5 个工作日内决定是否立案；不予立案的书面通知请求人并说明\
                    理由",
                "答辩：立案后将请求书副本送达被请求人，被请求人自收到之日起 15 日内提交答辩书",
                "审理：调查取证，根据案情进行口头审理、现场勘验，技术问题可委托鉴定或者征求专家意见\
                    （所需时间不计入办理时限，并书面告知当事人）",
                "裁决：认定侵权行为成立的，作出责令停止侵权行为的处理决定；不成立的驳回请求；当事人\
                    可在收到决定之日起 15 日内提起行政诉讼",
                "送达：处理决定书送达双方当事人",
            ]),
            stage_limits: stages(&[(Acceptance, 5), (Review, 30), (Decision, 5), (Delivery, 5)]),
            special_procedures: vec![
                SpecialProcedure::Hearing,
                SpecialProcedure::OnSiteSurvey,
                SpecialProcedure::Appraisal,
                SpecialProcedure::ExpertReview,
            ],
            // 立案之日起三个月内结案；特别复杂的经负责人批准可延长，最多一个月。
            extension_bound_days: 20,
            ..base(
                "640106-CJ-0001",
                "专利侵权纠纷行政裁决",
                Adjudication,
                &market_c01,
                promised(45, 60),
            )
        },
        ServiceItemInput {
            legal_basis: "《中华人民共和国食品安全法》第一百一十五条；\
                          《市场监管领域重大违法行为举报奖励暂行办法》（国市监稽规〔2021〕4号）"
                .into(),
            conditions: strings(&[
                "举报人为实名举报，举报的违法行为属于区市场监督管理局管辖",
                "举报内容经查证属实，并已依法作出行政处罚决定或者移送司法机关",
                "举报人已收到区市场监督管理局出具的举报奖励通知",
                "举报人不属于负有食品安全监管职责的工作人员及其近亲属",
            ]),
            materials: vec![
                m(
                    "award_notice",
                    "举报奖励领取通知书",
                    ORIGINAL,
                    1,
                    PAPER,
                    "区市场监督管理局",
                ),
                m("id_card", "举报人居民身份证", BOTH, 1, PAPER, POLICE),
                m(
                    "bank_account",
                    "举报人本人银行卡或存折",
                    COPY,
                    1,
                    PAPER,
                    "开户银行",
                ),
                when(
                    "委托他人代领",
                    m(
                        "proxy",
                        "举报人签署的授权委托书及受托人居民身份证",
                        ORIGINAL,
                        1,
                        PAPER,
                        "申请人自备；身份证由公安机关核发",
                    ),
                ),
            ],
            steps: strings(&[
                "申请：举报人收到奖励通知后，持材料到 C01 窗口申领奖励",
                "受理：窗口核对举报人身份及举报编号，材料齐全的出具《受理通知书》",
                "审核：稽查部门核对案件办理结果与奖励等级、奖励金额",
                "决定：报局负责人批准，作出奖励决定",
                "发放：奖金转入举报人本人银行账户，并对举报人信息严格保密",
            ]),
            stage_limits: stages(&[(Acceptance, 1), (Review, 5), (Decision, 3), (Delivery, 1)]),
            ..base(
                "640106-JL-0001",
                "食品安全违法行为举报奖励",
                Reward,
                &market_c01,
                promised(10, 15),
            )
        },
        // ── 区人力资源和社会保障局 ──────────────────────────────────────────────────────
        ServiceItemInput {
            legal_basis: "《中华人民共和国就业促进法》；《人力资源市场暂行条例》第十八条、第十九条\
                          ；\
                          《人力资源服务机构管理规定》（人力资源社会保障部令第50号）；\
                          《国务院办公厅关于全面推行证明事项和涉企经营许可事项告知承诺制的指导意见\
                          》（国办发〔2020〕42号）"
                .into(),
            conditions: strings(&[
                "申请人为依法登记的经营性人力资源服务机构，营业执照经营范围包含职业中介活动",
                "有明确的章程和管理制度",
                "有开展业务必备的固定场所、办公设施和一定数额的开办资金",
                "有一定数量具备相应职业资格的专职工作人员",
                "可选择告知承诺方式办理：签署告知承诺书后当场作出许可决定",
            ]),
            materials: vec![
                m(
                    "application_form",
                    "人力资源服务许可申请表",
                    ORIGINAL,
                    1,
                    PAPER,
                    FORM_SOURCE,
                ),
                noted(
                    "窗口通过市场主体登记信息共享核验，可不再提交",
                    m(
                        "business_license",
                        "营业执照",
                        COPY,
                        1,
                        ANY_FORM,
                        "市场监督管理部门",
                    ),
                ),
                m(
                    "id_card",
                    "法定代表人居民身份证",
                    ORIGINAL,
                    1,
                    PAPER,
                    POLICE,
                ),
                m(
                    "rules",
                    "机构章程及服务流程、收费标准、求职者信息保护等管理制度",
                    ORIGINAL,
                    1,
                    PAPER,
                    SELF,
                ),
                m(
                    "premises_proof",
                    "经营场所使用证明（房屋产权证明或租赁合同）",
                    COPY,
                    1,
                    PAPER,
                    SELF,
                ),
                m(
                    "staff_list",
                    "专职工作人员名单及其身份证明、学历或者职业资格证明",
                    COPY,
                    1,
                    PAPER,
                    SELF,
                ),
                when(
                    "选择告知承诺方式办理",
                    m(
                        "commitment_letter",
                        "人力资源服务许可告知承诺书（法定代表人签字并加盖公章）",
                        ORIGINAL,
                        1,
                        PAPER,
                        "窗口领取",
                    ),
                ),
                proxy(),
            ],
            steps: strings(&[
                "申请：申请人到 B02 窗口或通过宁夏政务服务网提交申请",
                "受理：窗口审查申请材料；选择告知承诺方式的，一次性告知许可条件、标准和技术要求以及\
                    后补材料的名称和期限",
                "审查：审查申请材料，需要时对经营场所进行现场核查；\
                    签署告知承诺书的不再核查即予决定",
                "决定：作出准予许可或不予许可的决定；告知承诺的当场作出准予许可决定",
                "送达：颁发《人力资源服务许可证》；作出决定后按期对承诺内容进行核查，承诺不实的依法\
                    撤销许可",
            ]),
            stage_limits: stages(&[(Acceptance, 1), (Review, 2), (Decision, 1), (Delivery, 1)]),
            special_procedures: vec![SpecialProcedure::OnSiteVerification],
            extension_bound_days: 10,
            commitment: Some(CommitmentSpec {
                standards: strings(&[
                    "依据《人力资源市场暂行条例》第十八条，经营性人力资源服务机构从事职业中介活动，\
                        应当依法取得人力资源服务许可证",
                    "有明确的机构章程和管理制度，服务项目、收费标准、监督电话等在服务场所明示",
                    "有与开展职业中介活动相适应的固定场所、办公设施和一定数额的开办资金",
                    "有一定数量具备相应职业资格的专职工作人员",
                    "不发布虚假招聘信息，不扣押劳动者居民身份证等证件，不向劳动者收取押金",
                    "承诺内容与实际不符的，依法撤销许可，并记入信用记录",
                ]),
                deferred_materials: strings(&["premises_proof", "staff_list"]),
                deferred_within_working_days: 20,
                follow_up_after_working_days: 30,
            }),
            ..base(
                "640106-XK-0004",
                "人力资源服务许可（从事职业中介活动）",
                Licensing,
                &social_b02,
                promised(5, 20),
            )
        },
        ServiceItemInput {
            legal_basis: "《中华人民共和国就业促进法》；《就业服务与就业管理规定》（劳动和社会保障\
                          部令第28号）；\
                          《人力资源社会保障部关于进一步完善就业失业登记管理办法的通知》（人社部发\
                          〔2014〕97号）"
                .into(),
            conditions: strings(&[
                "在法定劳动年龄内、有劳动能力，办理就业登记或者失业登记的劳动者",
                "本地户籍人员，或在本地常住的非本地户籍人员",
                "毕业年度内高校毕业生可凭毕业证书申领",
            ]),
            materials: vec![
                m(
                    "application_form",
                    "《就业创业证》申领登记表",
                    ORIGINAL,
                    1,
                    PAPER,
                    "窗口领取",
                ),
                m("id_card", "居民身份证", ORIGINAL, 1, PAPER, POLICE),
                when(
                    "毕业年度内高校毕业生申领",
                    m(
                        "graduation_certificate",
                        "毕业证书（或学籍在线验证报告）",
                        BOTH,
                        1,
                        ANY_FORM,
                        "毕业院校",
                    ),
                ),
                optional(noted(
                    "申领纸质证件的提供；电子证件无需照片",
                    m("photo", "近期一寸免冠彩色照片", ORIGINAL, 1, PAPER, SELF),
                )),
                proxy(),
            ],
            steps: strings(&[
                "申请：劳动者到 B02 窗口提出申请，也可通过“我的宁夏”App 在线申领电子证件",
                "核验：窗口核验身份信息，比对就业失业登记信息",
                "发证：当场核发《就业创业证》",
            ]),
            ..base(
                "640106-GG-0001",
                "《就业创业证》申领",
                PublicService,
                &social_b02,
                immediate(30),
            )
        },
        ServiceItemInput {
            legal_basis: "《中华人民共和国社会保险法》第四十五条、第五十条；《失业保险条例》第十四\
                          条、第十六条；\
                          《失业保险金申领发放办法》（劳动和社会保障部令第8号）"
                .into(),
            conditions: strings(&[
                "失业前用人单位和本人已经缴纳失业保险费满一年",
                "非因本人意愿中断就业",
                "已经进行失业登记，并有求职要求",
                "未领取基本养老保险待遇，未重新就业、应征服兵役、移居境外",
            ]),
            materials: vec![
                m(
                    "application_form",
                    "失业保险金申领登记表",
                    ORIGINAL,
                    1,
                    PAPER,
                    FORM_SOURCE,
                ),
                m("id_card", "居民身份证", ORIGINAL, 1, PAPER, POLICE),
                noted(
                    "须已激活金融账户，失业保险金按月发放至该账户",
                    m(
                        "social_security_card",
                        "社会保障卡",
                        ORIGINAL,
                        1,
                        PAPER,
                        "人力资源社会保障部门",
                    ),
                ),
                m(
                    "termination_proof",
                    "终止或者解除劳动关系证明",
                    ORIGINAL,
                    1,
                    PAPER,
                    "原用人单位",
                ),
                proxy(),
            ],
            steps: strings(&[
                "申请：失业人员到 B01 窗口或通过宁夏政务服务网、“我的宁夏”App 提出申请",
                "受理：窗口审查申请材料，材料齐全的出具《受理通知书》",
                "审核：核对参保缴费记录，认定申领资格，核定领取期限和标准",
                "决定：作出核发或不予核发的决定，并告知本人",
                "发放：按月将失业保险金发放至本人社会保障卡金融账户",
            ]),
            stage_limits: stages(&[(Acceptance, 1), (Review, 1), (Decision, 1)]),
            ..base(
                "640106-JF-0001",
                "失业保险金申领",
                Benefit,
                &social_b01,
                promised(3, 10),
            )
        },
        ServiceItemInput {
            legal_basis: "《中华人民共和国就业促进法》第五十二条；《就业服务与就业管理规定》（劳动\
                和社会保障部令第28号）"
                .into(),
            conditions: strings(&[
                "在法定劳动年龄内，有劳动能力和就业愿望，已办理失业登记",
                "属于自治区规定的就业困难人员范围：大龄失业人员、残疾人、城乡低保家庭成员、零就业家\
                    庭成员、连续失业一年以上人员、失地农民等",
            ]),
            materials: vec![
                m(
                    "application_form",
                    "就业困难人员认定申请表",
                    ORIGINAL,
                    1,
                    PAPER,
                    "窗口领取",
                ),
                m("id_card", "居民身份证", ORIGINAL, 1, PAPER, POLICE),
                m(
                    "employment_card",
                    "《就业创业证》",
                    ORIGINAL,
                    1,
                    ANY_FORM,
                    "人力资源社会保障部门",
                ),
                when(
                    "以残疾人身份申请",
                    m(
                        "disability_certificate",
                        "《中华人民共和国残疾人证》",
                        BOTH,
                        1,
                        PAPER,
                        "残疾人联合会",
                    ),
                ),
                when(
                    "以城乡低保家庭成员身份申请",
                    m(
                        "subsistence_proof",
                        "最低生活保障证明",
                        BOTH,
                        1,
                        PAPER,
                        "民政部门",
                    ),
                ),
                when(
                    "以失地农民身份申请",
                    m(
                        "land_expropriation_proof",
                        "土地被征收证明",
                        ORIGINAL,
                        1,
                        PAPER,
                        "镇人民政府（街道办事处）",
                    ),
                ),
                proxy(),
            ],
            steps: strings(&[
                "申请：本人到 B02 窗口提出认定申请",
                "受理：窗口审查申请材料，材料齐全的出具《受理通知书》",
                "审核：核查失业登记、社保缴费等信息，必要时入户核实",
                "认定：符合条件的认定为就业困难人员，并在《就业创业证》中注明类别",
                "送达：告知本人认定结果及可享受的就业援助政策",
            ]),
            stage_limits: stages(&[(Acceptance, 1), (Review, 2), (Decision, 1), (Delivery, 1)]),
            extension_bound_days: 5,
            ..base(
                "640106-QR-0001",
                "就业困难人员认定",
                Confirmation,
                &social_b02,
                promised(5, 15),
            )
        },
        ServiceItemInput {
            legal_basis: "《中华人民共和国社会保险法》第七十四条；《社会保险个人权益记录管理办法》\
                （人力资源社会保障部令第14号）"
                .into(),
            conditions: strings(&[
                "在本统筹地区参加社会保险的个人",
                "本人或者受托人到窗口办理；\
                    也可通过政务服务中心自助终端或宁夏政务服务网自助查询打印",
            ]),
            materials: vec![
                m("id_card", "居民身份证", ORIGINAL, 1, PAPER, POLICE),
                optional(noted(
                    "可刷卡查询，代替身份证核验",
                    m(
                        "social_security_card",
                        "社会保障卡",
                        ORIGINAL,
                        1,
                        PAPER,
                        "人力资源社会保障部门",
                    ),
                )),
                proxy(),
            ],
            steps: strings(&[
                "申请：到 B01 窗口说明所需证明的险种和期间",
                "核验：窗口核验身份",
                "打印：当场打印加盖业务专用章的《社会保险个人参保缴费证明》",
            ]),
            ..base(
                "640106-GG-0002",
                "社会保险个人参保缴费证明打印",
                PublicService,
                &social_b01,
                immediate(20),
            )
        },
        // ── 良田镇社会事务办 ────────────────────────────────────────────────────────────
        ServiceItemInput {
            legal_basis: "《社会救助暂行办法》第九条、第十一条；《最低生活保障审核确认办法》（民发\
                〔2021〕57号）"
                .into(),
            conditions: strings(&[
                "以家庭为单位申请，由共同生活的家庭成员中的一人作为申请人",
                "共同生活的家庭成员人均收入低于当地最低生活保障标准",
                "家庭财产状况符合自治区规定",
                "申请人具有本镇户籍，或符合在经常居住地申请的条件",
            ]),
            materials: vec![
                m(
                    "application_form",
                    "最低生活保障申请书",
                    ORIGINAL,
                    1,
                    PAPER,
                    "窗口领取",
                ),
                m("household_register", "户口簿", BOTH, 1, PAPER, POLICE),
                m(
                    "id_cards",
                    "共同生活家庭成员居民身份证",
                    BOTH,
                    1,
                    PAPER,
                    POLICE,
                ),
                noted(
                    "共同生活的家庭成员均须签字",
                    m(
                        "verification_authorization",
                        "家庭经济状况核对授权书",
                        ORIGINAL,
                        1,
                        PAPER,
                        "窗口领取",
                    ),
                ),
                m(
                    "income_declaration",
                    "家庭收入和财产状况申报表",
                    ORIGINAL,
                    1,
                    PAPER,
                    "窗口领取",
                ),
                when(
                    "家庭成员中有残疾人",
                    m(
                        "disability_certificate",
                        "《中华人民共和国残疾人证》",
                        BOTH,
                        1,
                        PAPER,
                        "残疾人联合会",
                    ),
                ),
                when(
                    "家庭成员患重特大疾病",
                    m(
                        "medical_proof",
                        "二级以上医疗机构诊断证明或医疗费用票据",
                        BOTH,
                        1,
                        PAPER,
                        "医疗机构",
                    ),
                ),
            ],
            steps: strings(&[
                "申请：申请人到良田镇民生服务中心 01 窗口提交书面申请",
                "受理：窗口审查申请材料，材料齐全的出具《受理通知书》",
                "调查：通过入户调查、邻里访问、信息核对等方式核实家庭经济状况，组织民主评议",
                "审核确认：提出审核确认意见，在申请人所在村公示 7 天",
                "送达：公示无异议的，自次月起发放低保金；不予确认的，书面告知申请人并说明理由",
            ]),
            stage_limits: stages(&[(Acceptance, 1), (Review, 15), (Decision, 3), (Delivery, 1)]),
            // 民发〔2021〕57号：30 个工作日内完成审核确认，特殊情况可延长至 45 个工作日。
            extension_bound_days: 15,
            ..base(
                "640106-JF-0002",
                "最低生活保障审核确认",
                Benefit,
                &town,
                promised(20, 30),
            )
        },
        ServiceItemInput {
            legal_basis: "《中华人民共和国老年人权益保障法》第三十三条；宁夏回族自治区高龄津贴发放\
                有关规定"
                .into(),
            conditions: strings(&[
                "年满 80 周岁的老年人（以居民身份证登记的出生日期为准）",
                "户籍在良田镇",
                "本人或者近亲属提出申请",
            ]),
            materials: vec![
                m(
                    "application_form",
                    "高龄津贴申请审批表",
                    ORIGINAL,
                    1,
                    PAPER,
                    "窗口领取",
                ),
                m("id_card", "老年人居民身份证", BOTH, 1, PAPER, POLICE),
                m("household_register", "户口簿", BOTH, 1, PAPER, POLICE),
                noted(
                    "津贴按月发放至该账户",
                    m(
                        "bank_account",
                        "老年人本人社会保障卡或银行存折",
                        COPY,
                        1,
                        PAPER,
                        "人力资源社会保障部门或开户银行",
                    ),
                ),
                when(
                    "近亲属代为申请",
                    m(
                        "relative_id",
                        "代办人居民身份证及与老年人关系证明",
                        BOTH,
                        1,
                        PAPER,
                        "申请人自备；身份证由公安机关核发",
                    ),
                ),
            ],
            steps: strings(&[
                "申请：老年人或其近亲属到良田镇民生服务中心 01 窗口提出申请",
                "受理：窗口审查申请材料，材料齐全的出具《受理通知书》",
                "审核：镇社会事务办核实年龄、户籍和生存状况",
                "审批：报区民政局审批（审批时间包含在承诺时限内）",
                "发放：审批通过的，自次月起按月发放高龄津贴",
            ]),
            stage_limits: stages(&[(Acceptance, 1), (Review, 3), (Decision, 5), (Delivery, 1)]),
            ..base(
                "640106-JF-0003",
                "高龄津贴申领",
                Benefit,
                &town,
                promised(10, 20),
            )
        },
        ServiceItemInput {
            legal_basis: "《中华人民共和国社会保险法》第二十条、第二十二条；\
                          《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）"
                .into(),
            conditions: strings(&[
                "年满 16 周岁（不含在校学生）",
                "非国家机关和事业单位工作人员，且不属于职工基本养老保险制度覆盖范围的城乡居民",
                "在户籍地参保，户籍在良田镇",
            ]),
            materials: vec![
                m(
                    "application_form",
                    "城乡居民基本养老保险参保登记表",
                    ORIGINAL,
                    1,
                    PAPER,
                    "窗口领取",
                ),
                m("id_card", "居民身份证", ORIGINAL, 1, PAPER, POLICE),
                m("household_register", "户口簿", ORIGINAL, 1, PAPER, POLICE),
                optional(noted(
                    "已领取社会保障卡的，可绑定用于缴费和待遇发放",
                    m(
                        "social_security_card",
                        "社会保障卡",
                        ORIGINAL,
                        1,
                        PAPER,
                        "人力资源社会保障部门",
                    ),
                )),
                proxy(),
            ],
            steps: strings(&[
                "申请：本人到良田镇民生服务中心 01 窗口申请参保登记",
                "核验：窗口核验身份和户籍信息，查询是否已参加职工基本养老保险",
                "登记：当场办理参保登记，告知缴费档次和缴费方式",
            ]),
            ..base(
                "640106-GG-0003",
                "城乡居民基本养老保险参保登记",
                PublicService,
                &town,
                immediate(30),
            )
        },
    ]
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn units() -> DemoUnits {
        DemoUnits {
            market: 11,
            social: 12,
            town_affairs: 13,
        }
    }

    #[test]
    fn every_demo_item_passes_the_catalog_validation_unchanged() {
        for item in items(&units()) {
            match item.validated() {
                Ok(clean) => {
                    assert_eq!(clean, item, "{} 校验后不应被改写（多余空白等）", item.code)
                }
                Err(problems) => {
                    let e = problems.first();
                    panic!(
                        "{} {}: {} [{}] {}",
                        item.code, item.name, e.code, e.field, e.message
                    )
                }
            }
        }
    }

    #[test]
    fn the_catalog_holds_twelve_to_fourteen_items() {
        let n = items(&units()).len();
        assert!((12..=14).contains(&n), "{n} items");
    }

    #[test]
    fn item_codes_are_unique() {
        let all = items(&units());
        let codes: HashSet<&str> = all.iter().map(|i| i.code.as_str()).collect();
        assert_eq!(codes.len(), all.len());
    }

    #[test]
    fn item_names_are_unique() {
        let all = items(&units());
        let names: HashSet<&str> = all.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names.len(), all.len());
    }

    #[test]
    fn codes_name_the_district_and_the_category() {
        for item in items(&units()) {
            let letters = match item.category {
                ItemCategory::Licensing => "XK",
                ItemCategory::Confirmation => "QR",
                ItemCategory::Benefit => "JF",
                ItemCategory::Adjudication => "CJ",
                ItemCategory::Reward => "JL",
                ItemCategory::OtherPower => "QT",
                ItemCategory::PublicService => "GG",
            };
            assert!(
                item.code.starts_with(&format!("640106-{letters}-")),
                "{} is {:?}",
                item.code,
                item.category
            );
        }
    }

    #[test]
    fn all_seven_categories_are_covered() {
        let all = items(&units());
        for category in ItemCategory::ALL {
            assert!(
                all.iter().any(|i| i.category == category),
                "no item of {}",
                category.label()
            );
        }
    }

    #[test]
    fn at_least_two_items_follow_notification_commitment() {
        let n = items(&units())
            .iter()
            .filter(|i| i.commitment.is_some())
            .count();
        assert!(n >= 2, "{n} commitment items");
    }

    #[test]
    fn at_least_two_items_are_immediate() {
        let n = items(&units())
            .iter()
            .filter(|i| matches!(i.time_limit, LimitSpec::Immediate { .. }))
            .count();
        assert!(n >= 2, "{n} immediate items");
    }

    #[test]
    fn commitment_items_defer_only_their_own_required_materials_and_explain_the_standards() {
        for item in items(&units()) {
            let Some(c) = &item.commitment else { continue };
            assert!(!c.standards.is_empty(), "{}", item.code);
            assert!(
                c.deferred_within_working_days > 0 && c.follow_up_after_working_days > 0,
                "{}",
                item.code
            );
            for key in &c.deferred_materials {
                let material = item.materials.iter().find(|m| &m.key == key);
                assert!(
                    material.is_some_and(|m| m.requirement == MaterialRequirement::Required),
                    "{}: deferred material {key} is not a required material of the item",
                    item.code
                );
            }
            assert!(
                matches!(item.time_limit, LimitSpec::Promised { .. }),
                "{}: a commitment item is a promised item when the applicant does not commit",
                item.code
            );
        }
    }

    #[test]
    fn every_item_belongs_to_a_demo_unit_and_shows_that_units_phone() {
        let u = units();
        for item in items(&u) {
            let expected = if item.unit_id == u.market {
                MARKET_PHONE
            } else if item.unit_id == u.social {
                SOCIAL_PHONE
            } else if item.unit_id == u.town_affairs {
                TOWN_PHONE
            } else {
                panic!("{} belongs to unit {}", item.code, item.unit_id)
            };
            assert_eq!(item.phone, expected, "{}", item.code);
        }
    }

    #[test]
    fn every_unit_has_items_and_the_items_are_free_of_charge() {
        let u = units();
        let all = items(&u);
        for unit in [u.market, u.social, u.town_affairs] {
            assert!(
                all.iter().any(|i| i.unit_id == unit),
                "unit {unit} has no item"
            );
        }
        assert!(all.iter().all(|i| i.fee.is_none()));
    }

    #[test]
    fn conditional_and_optional_materials_both_appear() {
        let all = items(&units());
        let materials = || all.iter().flat_map(|i| i.materials.iter());
        assert!(
            materials().any(|m| matches!(m.requirement, MaterialRequirement::Conditional { .. }))
        );
        assert!(materials().any(|m| m.requirement == MaterialRequirement::Optional));
    }

    #[test]
    fn licensing_items_that_are_promised_allow_an_extension_within_the_law() {
        for item in items(&units()) {
            if item.category == ItemCategory::Licensing
                && matches!(item.time_limit, LimitSpec::Promised { .. })
            {
                assert!(
                    (1..=rules::deadline::LICENSING_EXTENSION_BOUND)
                        .contains(&item.extension_bound_days),
                    "{}",
                    item.code
                );
            }
        }
    }
}
