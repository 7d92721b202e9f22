<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name></name>
    <message>
        <source>处理冲突</source>
        <translation>Resolve conflicts</translation>
    </message>
    <message>
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>原值</source>
        <translation>Before</translation>
    </message>
    <message>
        <source>我的修改</source>
        <translation>Mine</translation>
    </message>
    <message>
        <source>平台上的值</source>
        <translation>On the platform</translation>
    </message>
    <message>
        <source>改为</source>
        <translation>Set to</translation>
    </message>
    <message>
        <source>（空）</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <source>保存选择</source>
        <translation>Save choices</translation>
    </message>
    <message>
        <source>稍后处理</source>
        <translation>Later</translation>
    </message>
    <message>
        <source>以下字段在您修改的同时也被他人修改了，请逐项选择要保留的值：</source>
        <translation>These fields were changed by someone else while you edited them. Choose the value to keep for each:</translation>
    </message>
    <message>
        <source>列表中选中的</source>
        <translation>selected in the list</translation>
    </message>
    <message>
        <source>编辑器中打开的</source>
        <translation>open in the editor</translation>
    </message>
    <message>
        <source>{kind}：{name}（{where}）</source>
        <translation>{kind}: {name} ({where})</translation>
    </message>
    <message>
        <source>注意：{where}是「{name}」，本操作不会修改它。</source>
        <translation>Note: the record {where} is “{name}”; this action does not change it.</translation>
    </message>
    <message>
        <source>{tags}（每 {n} 天）</source>
        <translation>{tags} (every {n} days)</translation>
    </message>
    <message>
        <source>本周期尚未核实</source>
        <translation>not verified this cycle</translation>
    </message>
    <message>
        <source>逾期 {n} 天</source>
        <translation>{n} days overdue</translation>
    </message>
    <message>
        <source>今天到期</source>
        <translation>due today</translation>
    </message>
    <message>
        <source>{n} 天后</source>
        <translation>in {n} days</translation>
    </message>
    <message>
        <source>级别</source>
        <translation>Severity</translation>
    </message>
    <message>
        <source>标签</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>字段名</source>
        <translation>Field name</translation>
    </message>
    <message>
        <source>同义词</source>
        <translation>Synonym</translation>
    </message>
    <message>
        <source>已存映射</source>
        <translation>Saved mapping</translation>
    </message>
    <message>
        <source>忽略</source>
        <translation>Ignored</translation>
    </message>
    <message>
        <source>未对应</source>
        <translation>Not matched</translation>
    </message>
    <message>
        <source>文件中的列</source>
        <translation>Column in the file</translation>
    </message>
    <message>
        <source>对应字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>匹配方式</source>
        <translation>Matched by</translation>
    </message>
    <message>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <source>筛选(&amp;F)</source>
        <extracomment>Devices read at once (most recently seen first); the filter&apos;s Enter asks the platform for the rest.</extracomment>
        <translation>&amp;Filter</translation>
    </message>
    <message>
        <source>用户名、姓名或设备标识</source>
        <translation>user name, name or device id</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>吊销…</source>
        <translation>Revoke…</translation>
    </message>
    <message>
        <source>吊销所选设备：其登录失效，本地数据在下次联网时清除</source>
        <translation>Revoke the selected device: its login stops working and its local data is wiped at its next contact</translation>
    </message>
    <message>
        <source>最低客户端版本(&amp;V)</source>
        <translation>Minimum client &amp;version</translation>
    </message>
    <message>
        <source>不限</source>
        <translation>no limit</translation>
    </message>
    <message>
        <source>低于此版本的一表通须先更新才能上传（数据保留在本机）</source>
        <translation>Apps older than this must be updated before they can push (their data stays on the computer)</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>显示最近联系的 {shown} 台 / 共 {n} 台设备；输入用户名后按回车可在全部设备中查找</source>
        <translation>showing the {shown} most recently seen of {n} devices; type a user name and press Enter to search them all</translation>
    </message>
    <message>
        <source>共 {n} 台设备</source>
        <translation>{n} devices</translation>
    </message>
    <message>
        <source>显示 {shown} / 共 {n} 台设备</source>
        <translation>showing {shown} of {n} devices</translation>
    </message>
    <message>
        <source>已吊销 {user} 的设备 {device}</source>
        <translation>Revoked device {device} of {user}</translation>
    </message>
    <message>
        <source>最低客户端版本已设为 {version}</source>
        <translation>Minimum client version set to {version}</translation>
    </message>
    <message>
        <source>已取消最低客户端版本限制</source>
        <translation>Minimum client version cleared</translation>
    </message>
    <message>
        <source>打开文件…</source>
        <translation>Open file…</translation>
    </message>
    <message>
        <source>发布…</source>
        <translation>Publish…</translation>
    </message>
    <message>
        <source>撤回所选版本…</source>
        <translation>Withdraw selected version…</translation>
    </message>
    <message>
        <source>未打开模板文件</source>
        <translation>No template workbook open</translation>
    </message>
    <message>
        <source>与在用版本对比</source>
        <translation>Compared with the version in force</translation>
    </message>
    <message>
        <source>预览</source>
        <translation>Preview</translation>
    </message>
    <message>
        <source>撤回模板版本</source>
        <translation>Withdraw template version</translation>
    </message>
    <message>
        <source>撤回 {form} {version}？撤回后设备不再使用该版本，但平台保留它，按它填写的提交仍按它校验。</source>
        <translation>Withdraw {form} {version}? Devices will no longer use it, but the platform keeps it, and submissions made under it are still validated by it.</translation>
    </message>
    <message>
        <source>已撤回 {form} {version}</source>
        <translation>Withdrew {form} {version}</translation>
    </message>
    <message>
        <source>打开模板文件</source>
        <translation>Open a template workbook</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx *.xls)</source>
        <translation>Excel workbooks (*.xlsx *.xls)</translation>
    </message>
    <message>
        <source>正在检查 {name}…</source>
        <translation>Checking {name}…</translation>
    </message>
    <message>
        <source>模板有错误，无法对比</source>
        <translation>The template has errors; nothing to compare</translation>
    </message>
    <message>
        <source>无法读取 {name}</source>
        <translation>Cannot read {name}</translation>
    </message>
    <message>
        <source>无法读取 {name}：{error}</source>
        <translation>Cannot read {name}: {error}</translation>
    </message>
    <message>
        <source>新表单</source>
        <translation>a new form</translation>
    </message>
    <message>
        <source>已发布 {form} {version} 到 {area}</source>
        <translation>Published {form} {version} to {area}</translation>
    </message>
    <message>
        <source>从未登录</source>
        <translation>Never logged in</translation>
    </message>
    <message>
        <source>长期未登录</source>
        <translation>Idle</translation>
    </message>
    <message>
        <source>有区划无任何工作</source>
        <translation>Areas but no work</translation>
    </message>
    <message>
        <source>多台设备</source>
        <translation>Several devices</translation>
    </message>
    <message>
        <source>已到期或离职</source>
        <translation>Expired or left</translation>
    </message>
    <message>
        <source> 天</source>
        <translation> days</translation>
    </message>
    <message>
        <source>查找</source>
        <translation>Find</translation>
    </message>
    <message>
        <source>停用原因（如 账号清查、离职）</source>
        <translation>Reason (e.g. account audit, left)</translation>
    </message>
    <message>
        <source>停用勾选的账号</source>
        <translation>Disable the checked accounts</translation>
    </message>
    <message>
        <source>全选</source>
        <translation>Check all</translation>
    </message>
    <message>
        <source>未登录天数</source>
        <translation>Days without login</translation>
    </message>
    <message>
        <source>用户名</source>
        <extracomment>(key, header)</extracomment>
        <translation>User name</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>发现</source>
        <translation>Findings</translation>
    </message>
    <message>
        <source>最近登录</source>
        <translation>Last login</translation>
    </message>
    <message>
        <source>从未</source>
        <translation>never</translation>
    </message>
    <message>
        <source>{users} 个用户中：</source>
        <translation>Of {users} users: </translation>
    </message>
    <message>
        <source>请先勾选要停用的账号</source>
        <translation>Check the accounts to disable first</translation>
    </message>
    <message>
        <source>账号清查</source>
        <translation>Account audit</translation>
    </message>
    <message>
        <source>已停用 {n} 个账号</source>
        <translation>{n} accounts disabled</translation>
    </message>
    <message>
        <source>待访 {n} 项（显示最逾期的 {shown} 项）</source>
        <translation>{n} due (the {shown} most overdue shown)</translation>
    </message>
    <message>
        <source>待访 {n} 项</source>
        <translation>{n} due</translation>
    </message>
    <message>
        <source>显示</source>
        <extracomment>Field names whose values are personal identifiers: masked until the worker reveals them.</extracomment>
        <translation>Show</translation>
    </message>
    <message>
        <source>显示完整号码（需填写原因，记入审计日志）</source>
        <translation>Show the full number (a reason is asked and written to the audit log)</translation>
    </message>
    <message>
        <source>从日历选择</source>
        <translation>Pick from the calendar</translation>
    </message>
    <message>
        <source>请注明</source>
        <translation>Please specify</translation>
    </message>
    <message>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>已确认</source>
        <translation>Confirmed</translation>
    </message>
    <message>
        <source>自动计算，不可编辑</source>
        <translation>Computed; not editable</translation>
    </message>
    <message>
        <source>（未填姓名）</source>
        <translation>(no name)</translation>
    </message>
    <message>
        <source>（未填地址）</source>
        <translation>(no address)</translation>
    </message>
    <message>
        <source>户号 {no}</source>
        <translation>Household {no}</translation>
    </message>
    <message>
        <source>保存 (Ctrl+S)</source>
        <translation>Save (Ctrl+S)</translation>
    </message>
    <message>
        <source>提交 (Ctrl+Enter)</source>
        <translation>Submit (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>检查结果（本人、所在户、所在房屋）</source>
        <translation>Findings (record, household, house)</translation>
    </message>
    <message>
        <source>没有「{kind}」的表单模板，请先同步</source>
        <translation>No template for “{kind}” yet; sync first</translation>
    </message>
    <message>
        <source>审核退回意见：</source>
        <translation>Reviewer&apos;s comments:</translation>
    </message>
    <message>
        <source>正在编辑…</source>
        <translation>Editing…</translation>
    </message>
    <message>
        <source>本人</source>
        <translation>This person</translation>
    </message>
    <message>
        <source>表达式错误（第 {pos} 个字符）：{message}</source>
        <extracomment>How many records of the admin&apos;s area the picker offers.</extracomment>
        <translation>Expression error (character {pos}): {message}</translation>
    </message>
    <message>
        <source>计算出错：{error}</source>
        <translation>Evaluation failed: {error}</translation>
    </message>
    <message>
        <source>打开模板文件后，可在这里用辖区内的真实记录预览录入界面</source>
        <translation>After opening a template workbook, preview its form here over a real record of your area</translation>
    </message>
    <message>
        <source>输入一个表达式，如 age(${birth_date}) &gt;= 60</source>
        <translation>Enter an expression, e.g. age(${birth_date}) &gt;= 60</translation>
    </message>
    <message>
        <source>计算</source>
        <translation>Evaluate</translation>
    </message>
    <message>
        <source>记录：</source>
        <translation>Record:</translation>
    </message>
    <message>
        <source>检查结果（工作人员看到的）</source>
        <translation>Findings (as the worker sees them)</translation>
    </message>
    <message>
        <source>预览 {form} {version}：辖区内的真实记录按字段名迁移到新版本后的样子</source>
        <translation>Preview of {form} {version}: a real record of your area as it looks moved to the new version by field name</translation>
    </message>
    <message>
        <source>（本机没有该类记录，先同步）</source>
        <translation> (no such records on this computer yet: sync first)</translation>
    </message>
    <message>
        <source>这些值在新版模板中已没有对应字段：</source>
        <translation>These values have no field in the new template version: </translation>
    </message>
    <message>
        <source>本记录</source>
        <translation>This record</translation>
    </message>
    <message>
        <source>先打开模板并选择一条记录，再输入表达式</source>
        <translation>Open a template and choose a record first, then enter an expression</translation>
    </message>
    <message>
        <source>结果：{value}</source>
        <translation>Result: {value}</translation>
    </message>
    <message>
        <source>所在户</source>
        <translation>Household</translation>
    </message>
    <message>
        <source>所在房屋</source>
        <translation>House</translation>
    </message>
    <message>
        <source>已自动保存</source>
        <translation>Saved automatically</translation>
    </message>
    <message>
        <source>查看完整信息</source>
        <translation>Show in full</translation>
    </message>
    <message>
        <source>查看「{label}」的完整内容需要说明原因（将记入审计日志）：</source>
        <translation>Give a reason to see the full “{label}” (written to the audit log):</translation>
    </message>
    <message>
        <source>添加一行</source>
        <extracomment>Values of hidden columns (e.g. the linked person&apos;s id), kept per row.</extracomment>
        <translation>Add a row</translation>
    </message>
    <message>
        <source>删除所选行</source>
        <translation>Delete selected rows</translation>
    </message>
    <message>
        <source>＋ 标签</source>
        <translation>+ Tag</translation>
    </message>
    <message>
        <source>添加人工标签</source>
        <translation>Add a manual tag</translation>
    </message>
    <message>
        <source>自动标签：由系统根据填报内容计算，不能手工设置。</source>
        <translation>Automatic tag: computed from the record; it cannot be set by hand.</translation>
    </message>
    <message>
        <source>规则：</source>
        <translation>Rule: </translation>
    </message>
    <message>
        <source>部门回流标签：只读。</source>
        <translation>Returned from a department&apos;s data: read-only.</translation>
    </message>
    <message>
        <source>人工标签：点击移除。</source>
        <translation>Manual tag: click to remove.</translation>
    </message>
    <message>
        <source>✔ 没有发现问题</source>
        <translation>✔ No problems found</translation>
    </message>
    <message>
        <source>{e} 个错误，{w} 个提醒</source>
        <translation>{e} error(s), {w} warning(s)</translation>
    </message>
    <message>
        <source>人员</source>
        <translation>Person</translation>
    </message>
    <message>
        <source>出国（境）</source>
        <translation>Went abroad</translation>
    </message>
    <message>
        <source>发送中</source>
        <translation>Sending</translation>
    </message>
    <message>
        <source>实有人口</source>
        <translation>Person</translation>
    </message>
    <message>
        <source>实有房屋</source>
        <translation>House</translation>
    </message>
    <message>
        <source>已发送</source>
        <translation>Sent</translation>
    </message>
    <message>
        <source>已同步</source>
        <translation>Synced</translation>
    </message>
    <message>
        <source>已接收</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>已提交</source>
        <translation>Submitted</translation>
    </message>
    <message>
        <source>已核实</source>
        <translation>Verified</translation>
    </message>
    <message>
        <source>已生效</source>
        <translation>Applied</translation>
    </message>
    <message>
        <source>已通过</source>
        <translation>Approved</translation>
    </message>
    <message>
        <source>待发送</source>
        <translation>Queued</translation>
    </message>
    <message>
        <source>待审核</source>
        <translation>Awaiting review</translation>
    </message>
    <message>
        <source>户</source>
        <translation>Household</translation>
    </message>
    <message>
        <source>拒访</source>
        <translation>Refused</translation>
    </message>
    <message>
        <source>新生儿</source>
        <translation>Newborn</translation>
    </message>
    <message>
        <source>新租户</source>
        <translation>New tenant</translation>
    </message>
    <message>
        <source>无人在家</source>
        <translation>Nobody home</translation>
    </message>
    <message>
        <source>有变更</source>
        <translation>Changed</translation>
    </message>
    <message>
        <source>漏登补录</source>
        <translation>Missed before</translation>
    </message>
    <message>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <source>被拒绝</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>被退回</source>
        <translation>Returned</translation>
    </message>
    <message>
        <source>迁入</source>
        <translation>Moved in</translation>
    </message>
    <message>
        <source>迁往外地</source>
        <translation>Moved to another city</translation>
    </message>
    <message>
        <source>迁往本区其他地址</source>
        <translation>Moved within the district</translation>
    </message>
    <message>
        <source>小区</source>
        <translation>Estate</translation>
    </message>
    <message>
        <source>楼栋</source>
        <translation>Building</translation>
    </message>
    <message>
        <source>单元</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>楼层</source>
        <translation>Floor</translation>
    </message>
    <message>
        <source>室</source>
        <translation>Room</translation>
    </message>
    <message>
        <source>入户走访核实身份</source>
        <translation>Verifying identity on a home visit</translation>
    </message>
    <message>
        <source>电话联系居民</source>
        <translation>Calling the resident</translation>
    </message>
    <message>
        <source>办理业务需要完整号码</source>
        <translation>A service needs the full number</translation>
    </message>
    <message>
        <source>数据核对与纠错</source>
        <translation>Checking and correcting data</translation>
    </message>
    <message>
        <source>男</source>
        <translation>Male</translation>
    </message>
    <message>
        <source>女</source>
        <translation>Female</translation>
    </message>
    <message>
        <source>未知</source>
        <translation>Unknown</translation>
    </message>
    <message>
        <source>未说明</source>
        <translation>Not stated</translation>
    </message>
    <message>
        <source>户籍</source>
        <translation>Registered</translation>
    </message>
    <message>
        <source>流动</source>
        <translation>Migrant</translation>
    </message>
    <message>
        <source>境外</source>
        <translation>Foreign</translation>
    </message>
    <message>
        <source>未落户</source>
        <translation>Unregistered</translation>
    </message>
    <message>
        <source>在住</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>已迁出</source>
        <translation>Moved out</translation>
    </message>
    <message>
        <source>已死亡</source>
        <translation>Deceased</translation>
    </message>
    <message>
        <source>已退回</source>
        <translation>Returned</translation>
    </message>
    <message>
        <source>本机新增</source>
        <translation>New here</translation>
    </message>
    <message>
        <source>自住</source>
        <translation>Owner-occupied</translation>
    </message>
    <message>
        <source>出租</source>
        <translation>Rented out</translation>
    </message>
    <message>
        <source>部分出租</source>
        <translation>Partly rented</translation>
    </message>
    <message>
        <source>空置</source>
        <translation>Vacant</translation>
    </message>
    <message>
        <source>借住</source>
        <translation>Lent</translation>
    </message>
    <message>
        <source>区</source>
        <translation>District</translation>
    </message>
    <message>
        <source>街道</source>
        <translation>Street</translation>
    </message>
    <message>
        <source>社区</source>
        <translation>Community</translation>
    </message>
    <message>
        <source>校验：全部</source>
        <translation>Checks: all</translation>
    </message>
    <message>
        <source>有错误</source>
        <translation>With errors</translation>
    </message>
    <message>
        <source>仅有警告</source>
        <translation>Warnings only</translation>
    </message>
    <message>
        <source>走访：全部</source>
        <translation>Visits: all</translation>
    </message>
    <message>
        <source>已走访</source>
        <translation>Visited</translation>
    </message>
    <message>
        <source>未走访</source>
        <translation>Not visited</translation>
    </message>
    <message>
        <source>审核员</source>
        <translation>Reviewer</translation>
    </message>
    <message>
        <source>管理员</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>区划</source>
        <translation>Areas</translation>
    </message>
    <message>
        <source>结束日期</source>
        <translation>End date</translation>
    </message>
    <message>
        <source>第三方</source>
        <translation>Third party</translation>
    </message>
    <message>
        <source>最近同步</source>
        <translation>Last sync</translation>
    </message>
    <message>
        <source>保密协议</source>
        <translation>Confidentiality agreement</translation>
    </message>
    <message>
        <source>需改密码</source>
        <translation>Must change password</translation>
    </message>
    <message>
        <source>启用</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>已到期停用</source>
        <translation>Expired</translation>
    </message>
    <message>
        <source>停用：{reason}</source>
        <translation>Disabled: {reason}</translation>
    </message>
    <message>
        <source>停用</source>
        <translation>Disabled</translation>
    </message>
    <message>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>已签署</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>未签署</source>
        <translation>Not accepted</translation>
    </message>
    <message>
        <source>年龄</source>
        <translation>Age</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>现住地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>房屋编号</source>
        <translation>House no.</translation>
    </message>
    <message>
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>人数</source>
        <translation>Residents</translation>
    </message>
    <message>
        <source>校验</source>
        <translation>Checks</translation>
    </message>
    <message>
        <source>走访</source>
        <translation>Visit</translation>
    </message>
    <message>
        <source>被拒收</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>人口总数</source>
        <translation>Persons</translation>
    </message>
    <message>
        <source>修改人员</source>
        <translation>Changed person</translation>
    </message>
    <message>
        <source>修改前</source>
        <translation>Before</translation>
    </message>
    <message>
        <source>修改户</source>
        <translation>Changed household</translation>
    </message>
    <message>
        <source>修改房屋</source>
        <translation>Changed house</translation>
    </message>
    <message>
        <source>审核</source>
        <translation>Review</translation>
    </message>
    <message>
        <source>全区概况</source>
        <extracomment>the Chinese title (translated when shown) a line under the title, for the screen&apos;s header</extracomment>
        <translation>District overview</translation>
    </message>
    <message>
        <source>走访覆盖、核实、待审核与同步情况，可逐级下钻到网格</source>
        <translation>Visit coverage, verification, review backlog and sync, down to each grid</translation>
    </message>
    <message>
        <source>表单模板</source>
        <translation>Form templates</translation>
    </message>
    <message>
        <source>检查、对比、预览、发布和撤回表单模板版本</source>
        <translation>Check, compare, preview, publish and withdraw form template versions</translation>
    </message>
    <message>
        <source>用户</source>
        <extracomment>(key, Chinese header) in display order</extracomment>
        <translation>User</translation>
    </message>
    <message>
        <source>设备标识</source>
        <translation>Device id</translation>
    </message>
    <message>
        <source>首次登录</source>
        <translation>First login</translation>
    </message>
    <message>
        <source>最近联系</source>
        <translation>Last seen</translation>
    </message>
    <message>
        <source>已吊销，待清除</source>
        <translation>revoked, not yet wiped</translation>
    </message>
    <message>
        <source>已清除</source>
        <translation>wiped</translation>
    </message>
    <message>
        <source>原因：{reason}</source>
        <translation>Reason: {reason}</translation>
    </message>
    <message>
        <source>辖区内的账号：新建、编辑、停用、重置密码、批量导入</source>
        <translation>Accounts in your area: create, edit, disable, reset passwords, bulk import</translation>
    </message>
    <message>
        <source>长期未登录、无工作、多设备、已到期的账号，一键停用</source>
        <translation>Idle, inactive, multi-device and expired accounts; disable in one click</translation>
    </message>
    <message>
        <source>协议文本与版本，未签署的人员</source>
        <translation>Text and version; who has not accepted</translation>
    </message>
    <message>
        <source>区划与网格</source>
        <translation>Areas and grids</translation>
    </message>
    <message>
        <source>街道、社区、网格的新增、改名、移动、撤销，以及网格移交</source>
        <translation>Add, rename, move and retire streets, communities and grids; hand grids over</translation>
    </message>
    <message>
        <source>对象</source>
        <translation>Subject</translation>
    </message>
    <message>
        <source>详情</source>
        <translation>Detail</translation>
    </message>
    <message>
        <source>检查并发布…</source>
        <translation>Check and publish…</translation>
    </message>
    <message>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>实体</source>
        <translation>Entity</translation>
    </message>
    <message>
        <source>统计表</source>
        <translation>Summary table</translation>
    </message>
    <message>
        <source>台账</source>
        <translation>Ledger</translation>
    </message>
    <message>
        <source>已发布</source>
        <translation>Published</translation>
    </message>
    <message>
        <source>内置</source>
        <translation>Shipped</translation>
    </message>
    <message>
        <source>正在检查…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>已发布「{name}」第 {v} 版</source>
        <translation>Published “{name}” version {v}</translation>
    </message>
    <message>
        <source>工作表「{sheet}」{cell} 第 {pos} 个字符：{message}</source>
        <translation>Sheet “{sheet}” {cell}, character {pos}: {message}</translation>
    </message>
    <message>
        <source>台账模板有错误，未发布</source>
        <translation>The ledger template has errors; not published</translation>
    </message>
    <message>
        <source>设备</source>
        <translation>Devices</translation>
    </message>
    <message>
        <source>平台</source>
        <translation>Platform</translation>
    </message>
    <message>
        <source>用户登录过的设备：最近联系、版本；吊销丢失的设备，并设定最低客户端版本</source>
        <translation>Devices users have logged in from: last seen, version; revoke a lost device and set the minimum client version</translation>
    </message>
    <message>
        <source>审计日志</source>
        <translation>Audit log</translation>
    </message>
    <message>
        <source>登录、查看完整信息、导出、发布、账号与审核等操作的记录，可筛选、翻页、导出</source>
        <translation>Who logged in, revealed, exported, published, changed accounts or decided reviews: filter, page through and export</translation>
    </message>
    <message>
        <source>导入街道台账和部门回流名单：检查、标注问题、确认后一次写入</source>
        <translation>Import the street&apos;s ledgers and the departments&apos; returned lists: check, annotate the problems, then write it all at once</translation>
    </message>
    <message>
        <source>导出台账</source>
        <translation>Export ledger</translation>
    </message>
    <message>
        <source>按区域导出各部门台账与统计表（默认脱敏，导出记入审计日志）</source>
        <translation>Export departments&apos; ledgers and summary tables by area (masked by default; every export is audited)</translation>
    </message>
    <message>
        <source>台账模板</source>
        <translation>Ledger templates</translation>
    </message>
    <message>
        <source>内置与已发布的台账模板；检查并发布新版本，错误定位到工作表、单元格和字符</source>
        <translation>Shipped and published ledger templates; check and publish a new version, with each problem located by sheet, cell and character</translation>
    </message>
    <message>
        <source>审核队列</source>
        <translation>Review queue</translation>
    </message>
    <message>
        <source>辖区内待审核的提交</source>
        <translation>Submissions awaiting review in your area</translation>
    </message>
    <message>
        <source>本周期（{cycle}）：人口 {persons}，房屋 {houses}，已核实房屋 {verified}（{share}），已核实人员 {pv}；有校验错误 {invalid} 条，待审核 {backlog} 条（最久 {age} 天），退回未改 {returned} 条</source>
        <translation>This cycle ({cycle}): {persons} persons, {houses} houses, {verified} houses verified ({share}), {pv} persons verified; {invalid} records with errors, {backlog} pending review (oldest {age} days), {returned} returned and not yet resubmitted</translation>
    </message>
    <message>
        <source>房屋核实率（%）</source>
        <translation>Houses verified (%)</translation>
    </message>
    <message>
        <source>待审核提交</source>
        <translation>Awaiting review</translation>
    </message>
    <message>
        <source>未同步超过 {days} 天的网格员：{n} 人</source>
        <translation>Workers not synced for over {days} days: {n}</translation>
    </message>
    <message>
        <source>（列出最久的 {shown} 人）</source>
        <translation> (the {shown} longest listed)</translation>
    </message>
    <message>
        <source>未同步天数阈值：</source>
        <translation>Not synced for (days):</translation>
    </message>
    <message>
        <source>户数</source>
        <translation>Households</translation>
    </message>
    <message>
        <source>房屋总数</source>
        <translation>Houses</translation>
    </message>
    <message>
        <source>所属户</source>
        <translation>Household</translation>
    </message>
    <message>
        <source>所属房屋</source>
        <translation>House</translation>
    </message>
    <message>
        <source>新增户</source>
        <translation>Add household</translation>
    </message>
    <message>
        <source>无法通过：{reason}。冲突的字段已标红；建议退回给网格员核实后重新提交。</source>
        <translation>Cannot approve: {reason}. The conflicting fields are marked in red; return it to the worker to check and submit again.</translation>
    </message>
    <message>
        <source>台账或回流名单（.xlsx、.xls、.csv）</source>
        <translation>A ledger or a returned list (.xlsx, .xls, .csv)</translation>
    </message>
    <message>
        <source>方式(&amp;M)</source>
        <translation>&amp;Mode</translation>
    </message>
    <message>
        <source>台账（新建与更新人员）</source>
        <translation>Ledger (creates and updates persons)</translation>
    </message>
    <message>
        <source>数据回流（部门名单）</source>
        <translation>Returned data (a department&apos;s list)</translation>
    </message>
    <message>
        <source>来源部门(&amp;S)</source>
        <translation>&amp;Source department</translation>
    </message>
    <message>
        <source>如 民政</source>
        <translation>e.g. 民政 (civil affairs)</translation>
    </message>
    <message>
        <source>回流标签(&amp;T)</source>
        <translation>Returned &amp;tag</translation>
    </message>
    <message>
        <source>如 低保对象（名单中每人都带此标签）</source>
        <translation>e.g. 低保对象 (every person on the list carries it)</translation>
    </message>
    <message>
        <source>列映射名称(&amp;N)</source>
        <translation>Mapping &amp;name</translation>
    </message>
    <message>
        <source>已存的映射名称，或保存时的新名称</source>
        <translation>A saved mapping&apos;s name, or a new name to save under</translation>
    </message>
    <message>
        <source>检查</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>保存问题标注文件…</source>
        <translation>Save annotated workbook…</translation>
    </message>
    <message>
        <source>保存列映射</source>
        <translation>Save column mapping</translation>
    </message>
    <message>
        <source>列与预览</source>
        <translation>Columns and preview</translation>
    </message>
    <message>
        <source>检查结果</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>全部问题</source>
        <translation>All problems</translation>
    </message>
    <message>
        <source>错误</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>警告</source>
        <translation>Warning</translation>
    </message>
    <message>
        <source>选择要导入的文件</source>
        <translation>Choose the file to import</translation>
    </message>
    <message>
        <source>表格文件 (*.xlsx *.xls *.csv)</source>
        <translation>Spreadsheets (*.xlsx *.xls *.csv)</translation>
    </message>
    <message>
        <source>第 {row} 行不在预览范围内</source>
        <translation>Row {row} is beyond the preview</translation>
    </message>
    <message>
        <source>正在上传并检查…</source>
        <translation>Uploading and checking…</translation>
    </message>
    <message>
        <source>正在检查第 {n} 行…</source>
        <translation>Checking row {n}…</translation>
    </message>
    <message>
        <source>{rows} 行：新建 {created}，更新 {updated}，未变 {unchanged}，错误 {errors}，警告 {warnings}</source>
        <translation>{rows} rows: {created} new, {updated} updated, {unchanged} unchanged, {errors} errors, {warnings} warnings</translation>
    </message>
    <message>
        <source>；标签设置 {set}，移除 {removed}</source>
        <translation>; tags set {set}, removed {removed}</translation>
    </message>
    <message>
        <source>已检查，尚未导入</source>
        <translation>Checked, not imported yet</translation>
    </message>
    <message>
        <source>已导入</source>
        <translation>Imported</translation>
    </message>
    <message>
        <source>正在导入…</source>
        <translation>Importing…</translation>
    </message>
    <message>
        <source>未导入</source>
        <translation>Not imported</translation>
    </message>
    <message>
        <source>已取消，平台未作修改</source>
        <translation>Cancelled; the platform was not changed</translation>
    </message>
    <message>
        <source>已请求取消</source>
        <translation>Cancel requested</translation>
    </message>
    <message>
        <source>保存问题标注文件</source>
        <translation>Save the annotated workbook</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <source>已保存 {path}</source>
        <translation>Saved {path}</translation>
    </message>
    <message>
        <source>请先填写列映射名称</source>
        <translation>Enter a name for the column mapping first</translation>
    </message>
    <message>
        <source>已保存列映射“{name}”</source>
        <translation>Column mapping &apos;{name}&apos; saved</translation>
    </message>
    <message>
        <source>社区统计</source>
        <translation>Community statistics</translation>
    </message>
    <message>
        <source>统计</source>
        <translation>Statistics</translation>
    </message>
    <message>
        <source>新增{level}</source>
        <translation>Add {level}</translation>
    </message>
    <message>
        <source>在“{name}”下新增{level}。代码以上级代码开头，撤销过的代码不再使用。</source>
        <translation>Add a {level} under &quot;{name}&quot;. The code starts with the parent&apos;s code; retired codes are never used again.</translation>
    </message>
    <message>
        <source>代码</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>区划改名</source>
        <translation>Rename area</translation>
    </message>
    <message>
        <source>“{name}”（{code}）的新名称：</source>
        <translation>New name of &quot;{name}&quot; ({code}):</translation>
    </message>
    <message>
        <source>移动网格</source>
        <translation>Move grid</translation>
    </message>
    <message>
        <source>把网格“{name}”移到另一个社区。网格将得到新社区下的新代码，房屋、户、人员、走访和网格员随之移动，原代码撤销。</source>
        <translation>Move grid &quot;{name}&quot; to another community. The grid gets a new code under that community; its houses, households, persons, visits and workers move with it, and the old code is retired.</translation>
    </message>
    <message>
        <source>移到社区</source>
        <translation>Move to community</translation>
    </message>
    <message>
        <source>撤销“{name}”（{code}）。撤销后代码保留但不再使用。</source>
        <translation>Retire &quot;{name}&quot; ({code}). The code is kept but never used again.</translation>
    </message>
    <message>
        <source>该网格有 {houses} 处房屋、{persons} 人，须移到另一个网格。</source>
        <translation>The grid holds {houses} houses and {persons} persons: they must move to another grid.</translation>
    </message>
    <message>
        <source>撤销区划</source>
        <translation>Retire area</translation>
    </message>
    <message>
        <source>不移动（网格为空）</source>
        <translation>Move nothing (the grid is empty)</translation>
    </message>
    <message>
        <source>内容移到网格</source>
        <translation>Move contents to grid</translation>
    </message>
    <message>
        <source>无</source>
        <translation>none</translation>
    </message>
    <message>
        <source>移交网格</source>
        <translation>Hand grid over</translation>
    </message>
    <message>
        <source>把网格“{name}”移交给另一位网格员（现为：{now}）。双方下次同步后，新网格员获得该网格的全部数据，原网格员的设备先上传未发送的工作再移除这些数据。</source>
        <translation>Hand grid &quot;{name}&quot; to another worker (now: {now}). At their next sync the new worker receives all of the grid&apos;s data; the former worker&apos;s device first sends its unsent work, then removes that data.</translation>
    </message>
    <message>
        <source>范围</source>
        <translation>Scope</translation>
    </message>
    <message>
        <source>逾期人员</source>
        <translation>Overdue persons</translation>
    </message>
    <message>
        <source>逾期房屋</source>
        <translation>Overdue houses</translation>
    </message>
    <message>
        <source>逾期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>姓名 / 地址</source>
        <translation>Name / address</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>上次走访</source>
        <translation>Last visit</translation>
    </message>
    <message>
        <source>应访日期</source>
        <translation>Due on</translation>
    </message>
    <message>
        <source>人</source>
        <translation>P</translation>
    </message>
    <message>
        <source>房</source>
        <translation>H</translation>
    </message>
    <message>
        <source>{n} 份提交尚未上传</source>
        <translation>{n} submission(s) not yet uploaded</translation>
    </message>
    <message>
        <source>{n} 次走访尚未上传</source>
        <translation>{n} visit(s) not yet uploaded</translation>
    </message>
    <message>
        <source>{n} 条记录有修改但尚未提交</source>
        <translation>{n} record(s) changed but not submitted</translation>
    </message>
    <message>
        <source>；</source>
        <translation>; </translation>
    </message>
    <message>
        <source>还有未上传的工作</source>
        <extracomment>The worker&apos;s answers.</extracomment>
        <translation>Work not yet uploaded</translation>
    </message>
    <message>
        <source>{what}。
数据已加密保存在本机，下次联网同步时会上传。</source>
        <translation>{what}.
Everything is saved, encrypted, on this laptop and goes up with the next sync.</translation>
    </message>
    <message>
        <source>先同步再{action}</source>
        <translation>Sync, then {action}</translation>
    </message>
    <message>
        <source>直接{action}</source>
        <translation>{action} now</translation>
    </message>
    <message>
        <source>吊销设备</source>
        <translation>Revoke device</translation>
    </message>
    <message>
        <source>{name}（{user}）的设备 {device}</source>
        <translation>Device {device} of {name} ({user})</translation>
    </message>
    <message>
        <source>例如：笔记本丢失</source>
        <translation>e.g. laptop lost</translation>
    </message>
    <message>
        <source>先推送再清除</source>
        <translation>Push first, then wipe</translation>
    </message>
    <message>
        <source>设备下次联网时先上传尚未发送的提交和走访，然后清除本地数据</source>
        <translation>At its next contact the device first pushes its unsent submissions and visits, then wipes its local data</translation>
    </message>
    <message>
        <source>原因(&amp;R)</source>
        <translation>&amp;Reason</translation>
    </message>
    <message>
        <source>吊销</source>
        <translation>Revoke</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>该设备的登录立即失效，只能再上传尚未发送的工作；上传后本地数据将被清除。</source>
        <translation>The device&apos;s login stops working at once; it may only push its unsent work, after which its local data is wiped.</translation>
    </message>
    <message>
        <source>该设备的登录立即失效；下次联网时本地数据将被清除，尚未上传的工作随之丢失。</source>
        <translation>The device&apos;s login stops working at once; its local data is wiped at its next contact, and unsent work is lost with it.</translation>
    </message>
    <message>
        <source>一表通 管理 — {name}</source>
        <translation>Yibiaotong admin — {name}</translation>
    </message>
    <message>
        <source>转到(&amp;G)</source>
        <translation>&amp;Go</translation>
    </message>
    <message>
        <source>注销</source>
        <translation>log out</translation>
    </message>
    <message>
        <source>{name}（管理员）</source>
        <translation>{name} (admin)</translation>
    </message>
    <message>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>记录走访</source>
        <extracomment>what this dialog will change, in words (and what it will not, when the list and the editor show different records)</extracomment>
        <translation>Record visit</translation>
    </message>
    <message>
        <source>走访日期</source>
        <translation>Visit date</translation>
    </message>
    <message>
        <source>走访结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>新增房屋</source>
        <translation>Add house</translation>
    </message>
    <message>
        <source>所属网格</source>
        <translation>Grid</translation>
    </message>
    <message>
        <source>请至少填写小区和室号</source>
        <translation>Enter at least the estate and the room</translation>
    </message>
    <message>
        <source> · 户主 {name}</source>
        <translation> · head {name}</translation>
    </message>
    <message>
        <source>（{n} 人）</source>
        <translation> ({n} members)</translation>
    </message>
    <message>
        <source>新增人员</source>
        <translation>Add person</translation>
    </message>
    <message>
        <source>新建一户</source>
        <translation>New household</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>出生日期</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>母亲</source>
        <translation>Mother</translation>
    </message>
    <message>
        <source>（不选）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>新建用户</source>
        <translation>New user</translation>
    </message>
    <message>
        <source>编辑用户 {name}</source>
        <translation>Edit user {name}</translation>
    </message>
    <message>
        <source>例如 2026-12-31（不填：长期有效）</source>
        <translation>e.g. 2026-12-31 (empty: no end)</translation>
    </message>
    <message>
        <source>第三方人员（合同到期后自动停用）</source>
        <translation>Third-party staff (disabled by itself after the end date)</translation>
    </message>
    <message>
        <source>区划（网格员选网格，审核员选社区，管理员选街道或区）</source>
        <translation>Areas (grids for a worker, a community for a supervisor, a street or district for an admin)</translation>
    </message>
    <message>
        <source>用户名只能用 3–64 个字母、数字、_ . -</source>
        <translation>A user name is 3–64 letters, digits, _ . or -</translation>
    </message>
    <message>
        <source>请填写姓名</source>
        <translation>Enter the name</translation>
    </message>
    <message>
        <source>请至少选择一个区划</source>
        <translation>Choose at least one area</translation>
    </message>
    <message>
        <source>结束日期应写成 2026-12-31 这样</source>
        <translation>Write the end date like 2026-12-31</translation>
    </message>
    <message>
        <source>迁移到其他房屋或户</source>
        <translation>Move to another house or household</translation>
    </message>
    <message>
        <source>输入地址查找房屋</source>
        <translation>Type an address to find the house</translation>
    </message>
    <message>
        <source>查找房屋</source>
        <translation>Find a house</translation>
    </message>
    <message>
        <source>请选择目标房屋</source>
        <translation>Choose the house to move to</translation>
    </message>
    <message>
        <source>迁移</source>
        <translation>Move</translation>
    </message>
    <message>
        <source>登记迁出</source>
        <translation>Record move-out</translation>
    </message>
    <message>
        <source>登记死亡</source>
        <translation>Record death</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>已锁定</source>
        <extracomment>Events that count as the worker being present.</extracomment>
        <translation>Locked</translation>
    </message>
    <message>
        <source>当前用户：{user}。请输入密码解锁。</source>
        <translation>Signed in as {user}. Enter your password to unlock.</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>解锁</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>密码不正确</source>
        <translation>Wrong password</translation>
    </message>
    <message>
        <source>一表通 — 登录</source>
        <extracomment>The demo account offered when the login window is opened by ``ybt demo``.</extracomment>
        <translation>Yibiaotong — Log in</translation>
    </message>
    <message>
        <source>一表通</source>
        <translation>Yibiaotong</translation>
    </message>
    <message>
        <source>实有人口与实有房屋信息采集</source>
        <translation>Resident population and housing records</translation>
    </message>
    <message>
        <source>服务器(&amp;S)</source>
        <translation>&amp;Server</translation>
    </message>
    <message>
        <source>用户名(&amp;U)</source>
        <translation>&amp;User name</translation>
    </message>
    <message>
        <source>密码(&amp;P)</source>
        <translation>&amp;Password</translation>
    </message>
    <message>
        <source>登录中…</source>
        <translation>Logging in…</translation>
    </message>
    <message>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <source>首次登录需要联网；之后可离线用同一密码解锁本机数据。</source>
        <translation>The first login needs the network; afterwards the same password unlocks the data on this computer offline.</translation>
    </message>
    <message>
        <source>演示账号和密码已打印在启动演示的终端里。</source>
        <translation>The demo accounts and password are printed in the terminal that started the demo.</translation>
    </message>
    <message>
        <source>登录失败：{error}</source>
        <translation>Login failed: {error}</translation>
    </message>
    <message>
        <source>标签：全部</source>
        <extracomment>(value, Chinese label) of the validation and visit filters; None = no filter. The list column that grows with the window.</extracomment>
        <translation>Tag: all</translation>
    </message>
    <message>
        <source>没有符合条件的记录</source>
        <translation>No matching records</translation>
    </message>
    <message>
        <source>打开</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>隐藏完整号码</source>
        <translation>Hide full numbers</translation>
    </message>
    <message>
        <source>显示完整号码…</source>
        <translation>Show full numbers…</translation>
    </message>
    <message>
        <source>检查连接…</source>
        <translation>Checking connection…</translation>
    </message>
    <message>
        <source>● 在线</source>
        <translation>● Online</translation>
    </message>
    <message>
        <source>● 离线</source>
        <translation>● Offline</translation>
    </message>
    <message>
        <source>一表通 — {name}</source>
        <extracomment>Tree levels opened when the window opens (so the worker&apos;s grids are one click away). Search runs on its own thread and connection; list pages are read ahead on another. Where the sync screens put their actions (sync now, outbox, ...). The record editor goes here (``set_editor_widget``); hidden until something is opened. filled by the workbench: the record actions and the sync actions, each in a menu too</extracomment>
        <translation>Yibiaotong — {name}</translation>
    </message>
    <message>
        <source>从未同步</source>
        <translation>never synced</translation>
    </message>
    <message>
        <source>人口</source>
        <translation>Persons</translation>
    </message>
    <message>
        <source>房屋</source>
        <translation>Houses</translation>
    </message>
    <message>
        <source>已走访房屋</source>
        <translation>Houses visited</translation>
    </message>
    <message>
        <source>已核实房屋</source>
        <translation>Houses verified</translation>
    </message>
    <message>
        <source>房屋核实率</source>
        <translation>Houses verified %</translation>
    </message>
    <message>
        <source>已走访人员</source>
        <translation>Persons visited</translation>
    </message>
    <message>
        <source>已核实人员</source>
        <translation>Persons verified</translation>
    </message>
    <message>
        <source>有校验错误</source>
        <translation>With errors</translation>
    </message>
    <message>
        <source>最久待审（天）</source>
        <translation>Oldest pending (days)</translation>
    </message>
    <message>
        <source>退回未改</source>
        <translation>Returned, not resubmitted</translation>
    </message>
    <message>
        <source>未同步 / 最近同步</source>
        <translation>Not synced / last sync</translation>
    </message>
    <message>
        <source>账号</source>
        <translation>Username</translation>
    </message>
    <message>
        <source>未同步天数</source>
        <translation>Days without sync</translation>
    </message>
    <message>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>锁定(&amp;L)</source>
        <translation>&amp;Lock</translation>
    </message>
    <message>
        <source>退出(&amp;Q)</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>注销(&amp;O)</source>
        <translation>Log &amp;out</translation>
    </message>
    <message>
        <source>记录(&amp;R)</source>
        <translation>&amp;Records</translation>
    </message>
    <message>
        <source>同步(&amp;S)</source>
        <translation>&amp;Sync</translation>
    </message>
    <message>
        <source>自动锁定时间…</source>
        <translation>Auto-lock time…</translation>
    </message>
    <message>
        <source>视图(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>语言 / Language</source>
        <translation>Language / 语言</translation>
    </message>
    <message>
        <source>记录</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>同步</source>
        <extracomment>Failures that need the worker: the only ones that interrupt with a dialog.</extracomment>
        <translation>Sync</translation>
    </message>
    <message>
        <source>搜索</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>{name}（{role}）</source>
        <translation>{name} ({role})</translation>
    </message>
    <message>
        <source>自动锁定</source>
        <translation>Auto-lock</translation>
    </message>
    <message>
        <source>无操作多少分钟后锁定（0 表示不自动锁定）：</source>
        <translation>Lock after how many idle minutes (0 = never):</translation>
    </message>
    <message>
        <source>搜索“{text}”：{n} 条</source>
        <translation>Search “{text}”: {n}</translation>
    </message>
    <message>
        <source>共 {n} 条</source>
        <translation>{n} records</translation>
    </message>
    <message>
        <source>无法记录审计日志，未显示：{error}</source>
        <translation>Could not write the audit log, nothing shown: {error}</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>quit</translation>
    </message>
    <message>
        <source>显示完整号码</source>
        <extracomment>Fields holding identity-document numbers or phone numbers, per entity kind. Usual reasons offered in the reveal dialog (Chinese source text; translated when shown).</extracomment>
        <translation>Show full numbers</translation>
    </message>
    <message>
        <source>将显示 {who} 的完整证件号码和电话。此操作会记入审计日志。请说明原因：</source>
        <translation>The full ID number and phone of {who} will be shown. This is recorded in the audit log. Why do you need them?</translation>
    </message>
    <message>
        <source>选择或输入原因</source>
        <translation>Choose or type a reason</translation>
    </message>
    <message>
        <source>在用</source>
        <translation>in force</translation>
    </message>
    <message>
        <source>已被新版本取代</source>
        <translation>superseded</translation>
    </message>
    <message>
        <source>已撤回</source>
        <translation>withdrawn</translation>
    </message>
    <message>
        <source>表单</source>
        <translation>Form</translation>
    </message>
    <message>
        <source>区域</source>
        <extracomment>Level -&gt; Chinese name (translated when shown), top to bottom. Filters this node means for the lists (e.g. ``{&quot;area&quot;: &quot;330102001&quot;}``, or grid + estate + building).</extracomment>
        <translation>Area</translation>
    </message>
    <message>
        <source>发布时间</source>
        <translation>Published at</translation>
    </message>
    <message>
        <source>发布人</source>
        <translation>Published by</translation>
    </message>
    <message>
        <source>全部区域</source>
        <translation>all areas</translation>
    </message>
    <message>
        <source>{n} 个错误</source>
        <extracomment>Visit results as the store records them (Chinese codes), translated when shown.</extracomment>
        <translation>{n} errors</translation>
    </message>
    <message>
        <source>{n} 个提醒</source>
        <translation>{n} warnings</translation>
    </message>
    <message>
        <source>无问题</source>
        <translation>No issues</translation>
    </message>
    <message>
        <source>{n} 份提交被审核员退回，请在发件箱「退回待改」中查看意见并修改。</source>
        <translation>{n} submission(s) were returned by the supervisor: see the comments under “Returned” in the outbox and correct them.</translation>
    </message>
    <message>
        <source>{n} 份提交被平台拒绝，请在发件箱中查看原因。</source>
        <translation>{n} submission(s) were rejected by the platform: see why in the outbox.</translation>
    </message>
    <message>
        <source>{n} 条记录与平台上的修改冲突，请在发件箱「冲突」中逐项选择。</source>
        <translation>{n} record(s) conflict with changes on the platform: choose field by field under “Conflicts” in the outbox.</translation>
    </message>
    <message>
        <source>需要处理</source>
        <translation>Needs your attention</translation>
    </message>
    <message>
        <source>打开发件箱</source>
        <translation>Open the outbox</translation>
    </message>
    <message>
        <source>稍后</source>
        <translation>Later</translation>
    </message>
    <message>
        <source>提交时间</source>
        <extracomment>the label of a record&apos;s field as the template names it (联系电话, not phone)</extracomment>
        <translation>Submitted at</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <source>记录数</source>
        <translation>Records</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>发件箱</source>
        <translation>Outbox</translation>
    </message>
    <message>
        <source>退回待改</source>
        <translation>Returned</translation>
    </message>
    <message>
        <source>冲突</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <source>双击一项打开对应记录。</source>
        <translation>Double-click an item to open its record.</translation>
    </message>
    <message>
        <source>审核退回</source>
        <translation>Returned by the reviewer</translation>
    </message>
    <message>
        <source>整条记录</source>
        <translation>Whole record</translation>
    </message>
    <message>
        <source>已重新连接平台</source>
        <extracomment>Error codes after which the password given at unlock is not tried again.</extracomment>
        <translation>Reconnected to the platform</translation>
    </message>
    <message>
        <source>无法登录平台：{error}</source>
        <translation>Cannot log in to the platform: {error}</translation>
    </message>
    <message>
        <source>离线：没有连接到平台。审核和统计需要联网，请联网后重新登录或稍后重试。</source>
        <translation>Offline: not connected to the platform. Review and statistics need the network; log in again when online or try later.</translation>
    </message>
    <message>
        <source>无法连接平台服务器，请检查网络后点“刷新”重试。</source>
        <translation>Cannot reach the platform server. Check the network, then click Refresh.</translation>
    </message>
    <message>
        <source>登录已失效，请重新登录后再审核。</source>
        <translation>Your session has ended; log in again to review.</translation>
    </message>
    <message>
        <source>没有权限：{message}</source>
        <translation>Not allowed: {message}</translation>
    </message>
    <message>
        <source>平台上找不到这条记录（可能不在您的范围内）。</source>
        <translation>The platform has no such record (it may be outside your area).</translation>
    </message>
    <message>
        <source>出错了：{error}</source>
        <translation>Something went wrong: {error}</translation>
    </message>
    <message>
        <source>修改历史</source>
        <translation>History</translation>
    </message>
    <message>
        <source>有冲突</source>
        <translation>Conflict</translation>
    </message>
    <message>
        <source>新增标签：{tags}</source>
        <translation>Tags added: {tags}</translation>
    </message>
    <message>
        <source>去掉标签：{tags}</source>
        <translation>Tags removed: {tags}</translation>
    </message>
    <message>
        <source>状态：{before} → {after}</source>
        <translation>State: {before} → {after}</translation>
    </message>
    <message>
        <source>{n} 个字段与平台上的最新记录冲突</source>
        <translation>{n} field(s) conflict with the platform&apos;s latest record</translation>
    </message>
    <message>
        <source>提交后记录已被修改（版本 {base} → {current}）</source>
        <translation>The record changed after submission (revision {base} → {current})</translation>
    </message>
    <message>
        <source>没有字段变化</source>
        <translation>No field changes</translation>
    </message>
    <message>
        <source>正在读取统计…</source>
        <extracomment>A tag id as the catalogue labels it (in the current language).</extracomment>
        <translation>Loading statistics…</translation>
    </message>
    <message>
        <source>各下级区域人口</source>
        <translation>Persons by area</translation>
    </message>
    <message>
        <source>最常见的标签（前 {n} 个）</source>
        <translation>Most common tags (top {n})</translation>
    </message>
    <message>
        <source>人员状态</source>
        <translation>Persons by state</translation>
    </message>
    <message>
        <source>走访：平台未提供走访统计</source>
        <translation>Visits: the platform sends no visit figures</translation>
    </message>
    <message>
        <source>本周期（{cycle}）走访：已核实房屋 {verified} / {houses}（{share}），逾期未访 {oh} 户房屋、{op} 人</source>
        <translation>Visits this cycle ({cycle}): {verified} of {houses} houses verified ({share}); overdue: {oh} houses, {op} persons</translation>
    </message>
    <message>
        <source>覆盖与进度</source>
        <translation>Coverage and progress</translation>
    </message>
    <message>
        <source>人口与标签</source>
        <translation>Population and tags</translation>
    </message>
    <message>
        <source>网格</source>
        <translation>Grid</translation>
    </message>
    <message>
        <source>网格员</source>
        <translation>Grid worker</translation>
    </message>
    <message>
        <source>区域：</source>
        <translation>Area:</translation>
    </message>
    <message>
        <source>全社区</source>
        <translation>Whole community</translation>
    </message>
    <message>
        <source>退回给网格员</source>
        <extracomment>One selected field: (entity id, record label, field name, field label, value after).</extracomment>
        <translation>Return to the worker</translation>
    </message>
    <message>
        <source>写明退回原因。在修改前后对比表中选中的字段可以逐个写意见，网格员会在这些字段旁看到。</source>
        <translation>Say why it goes back. You can comment on each field you selected in the before/after table; the worker sees the comment next to the field.</translation>
    </message>
    <message>
        <source>写明退回原因。如需对某个字段提意见，请先在修改前后对比表中选中该字段所在的行。</source>
        <translation>Say why it goes back. To comment on a field, first select its row in the before/after table.</translation>
    </message>
    <message>
        <source>总体意见，例如：请入户核实后重新提交</source>
        <translation>Overall comment, e.g. please verify on a visit and submit again</translation>
    </message>
    <message>
        <source>修改后</source>
        <translation>After</translation>
    </message>
    <message>
        <source>意见</source>
        <translation>Comment</translation>
    </message>
    <message>
        <source>退回</source>
        <translation>Return</translation>
    </message>
    <message>
        <source>修改历史：{name}</source>
        <translation>History: {name}</translation>
    </message>
    <message>
        <source>版本</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>时间</source>
        <extracomment>(key, Chinese header)</extracomment>
        <translation>Time</translation>
    </message>
    <message>
        <source>新值</source>
        <translation>New value</translation>
    </message>
    <message>
        <source>提交人</source>
        <translation>Submitted by</translation>
    </message>
    <message>
        <source>审核人</source>
        <translation>Approved by</translation>
    </message>
    <message>
        <source>平台上没有这条记录的修改历史。</source>
        <translation>The platform has no history for this record.</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>正在读取提交…</source>
        <extracomment>Said after the next load (the outcome of a decision, while the queue moves on).</extracomment>
        <translation>Loading the submission…</translation>
    </message>
    <message>
        <source>走访：{visits}</source>
        <translation>Visits: {visits}</translation>
    </message>
    <message>
        <source>走访：本房屋尚无走访记录</source>
        <translation>Visits: none recorded for this house yet</translation>
    </message>
    <message>
        <source>（本周期已核实）</source>
        <translation> (verified this cycle)</translation>
    </message>
    <message>
        <source>在审核队列中选择一条提交，查看修改内容。</source>
        <translation>Choose a submission in the review queue to see what it changes.</translation>
    </message>
    <message>
        <source>现在通过会遇到的问题：</source>
        <translation>Approving now would meet these problems:</translation>
    </message>
    <message>
        <source>{who} 于 {at} {what}</source>
        <translation>{what} by {who} at {at}</translation>
    </message>
    <message>
        <source>正在提交审核结果…</source>
        <translation>Sending the decision…</translation>
    </message>
    <message>
        <source>正在退回…</source>
        <translation>Returning…</translation>
    </message>
    <message>
        <source>已通过，平台已更新主记录。</source>
        <translation>Approved; the platform updated the master record.</translation>
    </message>
    <message>
        <source>已退回给网格员。</source>
        <translation>Returned to the worker.</translation>
    </message>
    <message>
        <source>正在读取修改历史…</source>
        <translation>Loading the history…</translation>
    </message>
    <message>
        <source>通过</source>
        <translation>Approve</translation>
    </message>
    <message>
        <source>退回…</source>
        <translation>Return…</translation>
    </message>
    <message>
        <source>未检查</source>
        <extracomment>(key, Chinese header) in display order.</extracomment>
        <translation>Not checked</translation>
    </message>
    <message>
        <source>检查通过</source>
        <translation>Passed</translation>
    </message>
    <message>
        <source>（重新提交）</source>
        <translation> (resubmitted)</translation>
    </message>
    <message>
        <source>正在读取审核队列…</source>
        <translation>Loading the review queue…</translation>
    </message>
    <message>
        <source>没有{status}的提交。</source>
        <translation>No submissions ({status}).</translation>
    </message>
    <message>
        <source>{first}–{last} / 共 {total} 条</source>
        <translation>{first}–{last} of {total}</translation>
    </message>
    <message>
        <source>重新读取审核队列（Ctrl+R）</source>
        <translation>Reload the review queue (Ctrl+R)</translation>
    </message>
    <message>
        <source>操作人</source>
        <extracomment>``before`` of each page shown so far (None: the newest page); the last is the current page</extracomment>
        <translation>Who</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>从</source>
        <translation>From</translation>
    </message>
    <message>
        <source>至</source>
        <translation>To</translation>
    </message>
    <message>
        <source>记录编号</source>
        <translation>Record id</translation>
    </message>
    <message>
        <source>记录或提交的编号</source>
        <translation>Record or submission id</translation>
    </message>
    <message>
        <source>查询</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>上一页</source>
        <translation>Previous page</translation>
    </message>
    <message>
        <source>下一页</source>
        <translation>Next page</translation>
    </message>
    <message>
        <source>上一页 (Alt+← / PgUp)</source>
        <translation>Previous page (Alt+← / PgUp)</translation>
    </message>
    <message>
        <source>下一页 (Alt+→ / PgDn)</source>
        <translation>Next page (Alt+→ / PgDn)</translation>
    </message>
    <message>
        <source>导出…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <source>全部操作</source>
        <translation>All actions</translation>
    </message>
    <message>
        <source>第 {page} 页</source>
        <translation>Page {page}</translation>
    </message>
    <message>
        <source>导出审计日志</source>
        <translation>Export the audit log</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)</source>
        <translation>Excel workbook (*.xlsx);;CSV file (*.csv)</translation>
    </message>
    <message>
        <source>已导出 {rows} 条审计记录到 {file}</source>
        <translation>Exported {rows} audit entries to {file}</translation>
    </message>
    <message>
        <source>{n} 行</source>
        <extracomment>Pseudo-fields of the protocol (links, state, tags) and their labels (Chinese source text). (op, kind) of a patch as the queue and panel say it.</extracomment>
        <translation>{n} row(s)</translation>
    </message>
    <message>
        <source>搜索姓名、拼音首字母、证件或手机尾号</source>
        <extracomment>``prepare(text)`` is called on the GUI thread when a search fires (so it can capture the current filters) and returns the job ``job(context) -&gt; (rows, total)`` run on the worker thread.</extracomment>
        <translation>Search name, pinyin initials, ID or phone tail</translation>
    </message>
    <message>
        <source>人口：按姓名、拼音首字母（如 zw）、身份证号或手机号尾号搜索；房屋：按地址或房屋编号搜索 (Ctrl+F)</source>
        <translation>Persons: search by name, pinyin initials (e.g. zw), ID number or phone tail; houses: by address or house number (Ctrl+F)</translation>
    </message>
    <message>
        <source>提交本次走访</source>
        <extracomment>The visit-result choice that records no visit (a correction of returned work, made at the desk).</extracomment>
        <translation>Submit this visit</translation>
    </message>
    <message>
        <source>房屋：{name}</source>
        <translation>House: {name}</translation>
    </message>
    <message>
        <source>不记为走访</source>
        <translation>Not a visit</translation>
    </message>
    <message>
        <source>备注（可选）</source>
        <translation>Note (optional)</translation>
    </message>
    <message>
        <source>提交</source>
        <translation>Submit</translation>
    </message>
    <message>
        <source>这次走访没有修改记录：将只提交走访（核实结果）。</source>
        <translation>No record was changed on this visit: only the visit (its result) is submitted.</translation>
    </message>
    <message>
        <source>提交走访</source>
        <translation>Submit visit</translation>
    </message>
    <message>
        <source>这条记录没有需要提交的修改。</source>
        <translation>This record has no changes to submit.</translation>
    </message>
    <message>
        <source>还有 {n} 个错误，改正后才能提交（双击跳到该处）：</source>
        <translation>{n} errors remain; fix them to submit (double-click to go there):</translation>
    </message>
    <message>
        <source>将提交 {n} 条记录的修改（{w} 个提醒）：</source>
        <translation>The changes of {n} records will be submitted ({w} warnings):</translation>
    </message>
    <message>
        <source>请更新一表通到 {version} 版本或更高版本后再同步</source>
        <translation>Update 一表通 to version {version} or later, then sync again</translation>
    </message>
    <message>
        <source>如何更新：向数据办索取新版安装包（统信UOS / 麒麟：yibiaotong_{version}_amd64.deb，双击安装或 sudo apt install ./yibiaotong_{version}_amd64.deb；Windows：运行 yibiaotong-setup-{version}.exe）。安装时不要卸载旧版本的数据，本机未上传的工作会保留，更新后同步即可上传。</source>
        <translation>How to update: ask your data office for the new installer (统信UOS / 麒麟: yibiaotong_{version}_amd64.deb, double-click it or run sudo apt install ./yibiaotong_{version}_amd64.deb; Windows: run yibiaotong-setup-{version}.exe). Do not delete the old version&apos;s data: the work not yet sent stays on this computer and goes with the first sync after the update.</translation>
    </message>
    <message>
        <source>上传已提交的工作并下载最新数据 (F5)</source>
        <translation>Upload submitted work and download the latest data (F5)</translation>
    </message>
    <message>
        <source>未配置平台地址，无法同步</source>
        <translation>No platform address configured; cannot sync</translation>
    </message>
    <message>
        <source>正在同步…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <source>离线：{n} 份待发送，联网后自动上传</source>
        <translation>Offline: {n} waiting, sent automatically once online</translation>
    </message>
    <message>
        <source>离线：已保存在本机</source>
        <translation>Offline: saved on this laptop</translation>
    </message>
    <message>
        <source>同步已取消</source>
        <translation>Sync cancelled</translation>
    </message>
    <message>
        <source>同步未完成：{error}</source>
        <translation>Sync did not finish: {error}</translation>
    </message>
    <message>
        <source>已同步：上传 {sent} 份、走访 {visits} 次，下载 {received} 项</source>
        <translation>Synced: {sent} sent, {visits} visits, {received} received</translation>
    </message>
    <message>
        <source>已同步：上传 {sent} 份，下载 {received} 项</source>
        <translation>Synced: {sent} sent, {received} received</translation>
    </message>
    <message>
        <source>已同步，没有新的变化</source>
        <translation>Synced; nothing new</translation>
    </message>
    <message>
        <source>无法同步</source>
        <translation>Cannot sync</translation>
    </message>
    <message>
        <source>需要重新登录</source>
        <translation>Log in again</translation>
    </message>
    <message>
        <source>登录已过期，请输入密码以继续同步：</source>
        <translation>Your login has expired. Enter your password to continue syncing:</translation>
    </message>
    <message>
        <source>待访</source>
        <translation>Due visits</translation>
    </message>
    <message>
        <source>已记录走访</source>
        <translation>Visit recorded</translation>
    </message>
    <message>
        <source>已提交，正在上传…</source>
        <translation>Submitted; uploading…</translation>
    </message>
    <message>
        <source>已放入发件箱，联网后自动上传</source>
        <translation>In the outbox; sent automatically once online</translation>
    </message>
    <message>
        <source>{n} 项需要处理（退回、拒绝或冲突）</source>
        <translation>{n} item(s) need your attention (returned, rejected or in conflict)</translation>
    </message>
    <message>
        <source>新增下级 (Insert)</source>
        <translation>Add child (Insert)</translation>
    </message>
    <message>
        <source>改名 (F2)</source>
        <translation>Rename (F2)</translation>
    </message>
    <message>
        <source>移动网格…</source>
        <translation>Move grid…</translation>
    </message>
    <message>
        <source>撤销 (Delete)</source>
        <translation>Retire (Delete)</translation>
    </message>
    <message>
        <source>移交网格…</source>
        <translation>Hand grid over…</translation>
    </message>
    <message>
        <source>刷新 (F5)</source>
        <translation>Refresh (F5)</translation>
    </message>
    <message>
        <source>显示已撤销</source>
        <translation>Show retired</translation>
    </message>
    <message>
        <source>选择一个区划。</source>
        <translation>Choose an area.</translation>
    </message>
    <message>
        <source>{name}（{code}）：房屋 {houses}，户 {households}，人口 {persons}</source>
        <translation>{name} ({code}): {houses} houses, {households} households, {persons} persons</translation>
    </message>
    <message>
        <source>已新增 {name}</source>
        <translation>Added {name}</translation>
    </message>
    <message>
        <source>已改名为 {name}</source>
        <translation>Renamed to {name}</translation>
    </message>
    <message>
        <source>网格已移到新社区，新代码 {code}</source>
        <translation>Grid moved to the new community, new code {code}</translation>
    </message>
    <message>
        <source>已撤销 {name}</source>
        <translation>Retired {name}</translation>
    </message>
    <message>
        <source>网格已移交给 {worker}</source>
        <translation>Grid handed to {worker}</translation>
    </message>
    <message>
        <source>{name}（已撤销）</source>
        <translation>{name} (retired)</translation>
    </message>
    <message>
        <source>工作表</source>
        <translation>Sheet</translation>
    </message>
    <message>
        <source>批量导入用户</source>
        <translation>Bulk import users</translation>
    </message>
    <message>
        <source>每行一个用户，表头：用户名、姓名、角色、区划代码，可选 结束日期、第三方。有问题的行不导入，其余行照常创建。</source>
        <translation>One user per row; header: 用户名 (username), 姓名 (name), 角色 (role), 区划代码 (areas), optional 结束日期 (end date), 第三方 (third party). Rows with problems are left out, the others are created.</translation>
    </message>
    <message>
        <source>未选择文件</source>
        <translation>No file chosen</translation>
    </message>
    <message>
        <source>选择文件…</source>
        <translation>Choose file…</translation>
    </message>
    <message>
        <source>只检查</source>
        <translation>Check only</translation>
    </message>
    <message>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>保存初始密码…</source>
        <translation>Save initial passwords…</translation>
    </message>
    <message>
        <source>选择用户表</source>
        <translation>Choose the user workbook</translation>
    </message>
    <message>
        <source>无法读取文件：{error}</source>
        <translation>Cannot read the file: {error}</translation>
    </message>
    <message>
        <source>检查了 {rows} 行：可创建 {good} 个，有问题 {bad} 行（尚未创建）。</source>
        <translation>Checked {rows} rows: {good} can be created, {bad} rows with problems (nothing created yet).</translation>
    </message>
    <message>
        <source>{rows} 行：已创建 {created} 个用户，有问题 {bad} 行。请保存初始密码（只能保存一次）。</source>
        <translation>{rows} rows: {created} users created, {bad} rows with problems. Save the initial passwords (possible once only).</translation>
    </message>
    <message>
        <source>行</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>列</source>
        <translation>Column</translation>
    </message>
    <message>
        <source>值</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>保存初始密码</source>
        <translation>Save the initial passwords</translation>
    </message>
    <message>
        <source>初始密码尚未保存</source>
        <translation>Initial passwords not saved</translation>
    </message>
    <message>
        <source>初始密码只返回这一次，关闭后无法再看到（只能逐个重置）。仍要关闭？</source>
        <translation>The initial passwords are returned this once; after closing they cannot be seen again (only reset one by one). Close anyway?</translation>
    </message>
    <message>
        <source>初始密码已保存到 {path}</source>
        <translation>Initial passwords saved to {path}</translation>
    </message>
    <message>
        <source>位置</source>
        <translation>Position</translation>
    </message>
    <message>
        <source>问题</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>{sheet} 表</source>
        <translation>sheet {sheet}</translation>
    </message>
    <message>
        <source>第 {row} 行</source>
        <translation> row {row}</translation>
    </message>
    <message>
        <source>{column} 列</source>
        <translation>column {column}</translation>
    </message>
    <message>
        <source>整个工作簿</source>
        <translation>the whole workbook</translation>
    </message>
    <message>
        <source>，第 {n} 个字符</source>
        <translation>, character {n}</translation>
    </message>
    <message>
        <source>{path}：{n} 个问题，不能发布</source>
        <translation>{path}: {n} problem(s); it cannot be published</translation>
    </message>
    <message>
        <source>{path}：模板有效，有 {n} 条警告</source>
        <translation>{path}: the template is valid, with {n} warning(s)</translation>
    </message>
    <message>
        <source>{path}：模板有效</source>
        <translation>{path}: the template is valid</translation>
    </message>
    <message>
        <source>位置：{where}。{message}</source>
        <translation>Where: {where}. {message}</translation>
    </message>
    <message>
        <source>打开模板文件后，这里列出它与在用版本的差异</source>
        <translation>After opening a template workbook, its differences from the version in force are listed here</translation>
    </message>
    <message>
        <source>没有可对比的在用版本</source>
        <translation>No version in force to compare with</translation>
    </message>
    <message>
        <source>{form}：在用版本 {old} → 新版本 {new}。{summary}</source>
        <translation>{form}: version in force {old} → new version {new}. {summary}</translation>
    </message>
    <message>
        <source>发布模板</source>
        <extracomment>Area levels a template may be published to.</extracomment>
        <translation>Publish template</translation>
    </message>
    <message>
        <source>与在用版本相比：{summary}</source>
        <translation>Against the version in force: {summary}</translation>
    </message>
    <message>
        <source>发布到</source>
        <translation>Publish to</translation>
    </message>
    <message>
        <source>发布后各设备在下次同步时取得新版本；草稿和未发送的修改按字段名迁移，没有对应字段的值保留在记录旁，不会丢失。</source>
        <translation>Devices get the new version at their next sync; drafts and unsent edits move to it by field name, and values with no field in it are kept beside the record, never lost.</translation>
    </message>
    <message>
        <source>发布</source>
        <translation>Publish</translation>
    </message>
    <message>
        <source>新版模板中已没有该字段</source>
        <extracomment>Why a value was left, as the worker reads it.</extracomment>
        <translation>the new version has no such field</translation>
    </message>
    <message>
        <source>新版模板的选项中已没有该代码</source>
        <translation>the new version&apos;s choice list has no such code</translation>
    </message>
    <message>
        <source>新版模板中该字段的类型容不下该值</source>
        <translation>the field&apos;s new type cannot hold the value</translation>
    </message>
    <message>
        <source>新版模板中已没有该重复组</source>
        <translation>the new version has no such repeat</translation>
    </message>
    <message>
        <source>这些值在新版模板中已没有对应字段（已保留，请抄到合适的字段或确认不再需要）：</source>
        <translation>These values have no field in the new template version (kept; copy them to a suitable field or confirm they are no longer needed):</translation>
    </message>
    <message>
        <source>（{reason}，原版本 {version}）</source>
        <translation> ({reason}; from version {version})</translation>
    </message>
    <message>
        <source>临时密码</source>
        <translation>Temporary password</translation>
    </message>
    <message>
        <source>{user} 的临时密码只显示这一次。请交给本人；首次登录时须修改。</source>
        <translation>The temporary password of {user} is shown this once. Give it to the person; it must be changed at the first login.</translation>
    </message>
    <message>
        <source>复制</source>
        <translation>Copy</translation>
    </message>
    <message>
        <source>已复制</source>
        <translation>Copied</translation>
    </message>
    <message>
        <source>不再显示</source>
        <translation>Dismiss</translation>
    </message>
    <message>
        <source>工作人员确认不再需要</source>
        <translation>the worker confirmed it is no longer needed</translation>
    </message>
    <message>
        <source>按模板 {form} {version} 提交</source>
        <translation>Submitted under template {form} {version}</translation>
    </message>
    <message>
        <source>设置新密码</source>
        <translation>Choose a new password</translation>
    </message>
    <message>
        <source>管理员已重置您的密码。请设置新密码（至少 8 个字符，不能与用户名相同）。</source>
        <translation>Your admin reset your password. Choose a new one (at least 8 characters, not the user name).</translation>
    </message>
    <message>
        <source>新密码</source>
        <translation>New password</translation>
    </message>
    <message>
        <source>再次输入</source>
        <translation>Repeat</translation>
    </message>
    <message>
        <source>本机数据的原密码</source>
        <translation>Previous password of this computer&apos;s data</translation>
    </message>
    <message>
        <source>密码至少 8 个字符</source>
        <translation>A password has at least 8 characters</translation>
    </message>
    <message>
        <source>密码不能与用户名相同</source>
        <translation>The password must not be the user name</translation>
    </message>
    <message>
        <source>两次输入的密码不一致</source>
        <translation>The two passwords differ</translation>
    </message>
    <message>
        <source>您的密码已在别处修改。本机数据仍用原密码加密：请输入原密码，本机数据将改用新密码。</source>
        <translation>Your password was changed on another computer. This computer&apos;s data is still encrypted with the previous one: enter it, and the data will use the new password.</translation>
    </message>
    <message>
        <source>保密协议（第 {version} 版）</source>
        <translation>Confidentiality agreement (version {version})</translation>
    </message>
    <message>
        <source>查看居民信息之前，请阅读并同意以下保密协议。</source>
        <translation>Before resident data is shown, read and accept this confidentiality agreement.</translation>
    </message>
    <message>
        <source>同意</source>
        <translation>Accept</translation>
    </message>
    <message>
        <source>不同意</source>
        <translation>Decline</translation>
    </message>
    <message>
        <source>在此输入保密协议全文</source>
        <translation>Enter the full text of the agreement here</translation>
    </message>
    <message>
        <source>发布新版本</source>
        <translation>Publish new version</translation>
    </message>
    <message>
        <source>当前版本：第 {v} 版</source>
        <translation>Current version: {v}</translation>
    </message>
    <message>
        <source>尚未设置保密协议（不要求签署）</source>
        <translation>No agreement set (nothing to accept)</translation>
    </message>
    <message>
        <source>已签署 {accepted} / {users} 人；未签署：</source>
        <translation>Accepted by {accepted} of {users}; not yet:</translation>
    </message>
    <message>
        <source>协议内容不能为空</source>
        <translation>The agreement text is empty</translation>
    </message>
    <message>
        <source>发布保密协议</source>
        <translation>Publish the agreement</translation>
    </message>
    <message>
        <source>发布后，所有用户须在下次登录时重新阅读并同意。确定发布？</source>
        <translation>Once published, every user must read and accept it again at the next login. Publish?</translation>
    </message>
    <message>
        <source>保密协议新版本已发布</source>
        <translation>New version of the confidentiality agreement published</translation>
    </message>
    <message>
        <source>按用户名、姓名、区划筛选</source>
        <translation>Filter by user name, name, area</translation>
    </message>
    <message>
        <source>新建…</source>
        <translation>New…</translation>
    </message>
    <message>
        <source>编辑…</source>
        <translation>Edit…</translation>
    </message>
    <message>
        <source>停用…</source>
        <translation>Disable…</translation>
    </message>
    <message>
        <source>重置密码</source>
        <translation>Reset password</translation>
    </message>
    <message>
        <source>批量导入…</source>
        <translation>Bulk import…</translation>
    </message>
    <message>
        <source>共 {n} 个用户</source>
        <translation>{n} users</translation>
    </message>
    <message>
        <source>已创建用户 {name}</source>
        <translation>User {name} created</translation>
    </message>
    <message>
        <source>停用用户</source>
        <translation>Disable user</translation>
    </message>
    <message>
        <source>停用 {name} 的原因（如 离职、调岗）：</source>
        <translation>Why disable {name} (e.g. left, moved):</translation>
    </message>
    <message>
        <source>未设置新密码，未登录。</source>
        <translation>No new password chosen; not logged in.</translation>
    </message>
    <message>
        <source>本机数据未解锁。</source>
        <translation>This computer&apos;s data was not unlocked.</translation>
    </message>
    <message>
        <source>本机数据的原密码不正确，密码未修改。</source>
        <translation>The previous password of this computer&apos;s data is wrong; the password was not changed.</translation>
    </message>
    <message>
        <source>修改密码失败：{error}</source>
        <translation>Changing the password failed: {error}</translation>
    </message>
    <message>
        <source>未同意保密协议，不能查看居民信息。</source>
        <translation>The agreement was not accepted: resident data cannot be shown.</translation>
    </message>
    <message>
        <source>已签署保密协议</source>
        <translation>Agreement accepted</translation>
    </message>
    <message>
        <source>签署保密协议失败：{error}</source>
        <translation>Accepting the agreement failed: {error}</translation>
    </message>
    <message>
        <source>此设备已被管理员吊销，本地数据已清除：{reason}</source>
        <extracomment>Message boxes shown after their window closed (kept alive until dismissed).</extracomment>
        <translation>This device was revoked by an administrator and its local data wiped: {reason}</translation>
    </message>
    <message>
        <source>此设备已被管理员吊销，但本地数据未能清除：{error}</source>
        <translation>This device was revoked by an administrator, but its local data could not be wiped: {error}</translation>
    </message>
    <message>
        <source>设备已被吊销</source>
        <translation>Device revoked</translation>
    </message>
    <message>
        <source>我负责的全部网格</source>
        <translation>All my grids</translation>
    </message>
    <message>
        <source>格式</source>
        <translation>Format</translation>
    </message>
    <message>
        <source>打开文件夹</source>
        <translation>Open folder</translation>
    </message>
    <message>
        <source>预览（前 20 行，已脱敏）</source>
        <translation>Preview (first 20 rows, masked)</translation>
    </message>
    <message>
        <source>正在读取…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <source>共 {n} 行</source>
        <translation>{n} rows in all</translation>
    </message>
    <message>
        <source>无法导出：{why}</source>
        <translation>Cannot export: {why}</translation>
    </message>
    <message>
        <source>已导出 {n} 行到 {file}</source>
        <translation>Exported {n} rows to {file}</translation>
    </message>
    <message>
        <source>已取消导出</source>
        <translation>Export cancelled</translation>
    </message>
    <message>
        <source>离线：连上平台后才能在平台上导出</source>
        <translation>Offline: exports on the platform need a connection</translation>
    </message>
    <message>
        <source>不脱敏（需填写理由，并记入审计日志）</source>
        <translation>Unmasked (needs a reason; written to the audit log)</translation>
    </message>
    <message>
        <source>导出未脱敏数据的理由</source>
        <translation>Reason for exporting unmasked data</translation>
    </message>
    <message>
        <source>理由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>正在导出…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <source>导出失败</source>
        <translation>Export failed</translation>
    </message>
    <message>
        <source>已脱敏</source>
        <translation>masked</translation>
    </message>
    <message>
        <source>未脱敏</source>
        <translation>unmasked</translation>
    </message>
</context>
<context>
    <name>i18n</name>
    <message>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
</context>
</TS>
