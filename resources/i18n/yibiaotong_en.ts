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
        <source>标签</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>全部</source>
        <translation>All</translation>
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
        <source>未同步超过 {days} 天的网格员：{n} 人</source>
        <translation>Workers not synced for over {days} days: {n}</translation>
    </message>
    <message>
        <source>（列出最久的 {shown} 人）</source>
        <translation> (the {shown} longest listed)</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>未同步天数阈值：</source>
        <translation>Not synced for (days):</translation>
    </message>
    <message>
        <source>从未</source>
        <translation>never</translation>
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
        <source>本记录</source>
        <translation>This record</translation>
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
        <source>审核队列</source>
        <translation>Review queue</translation>
    </message>
    <message>
        <source>辖区内待审核的提交</source>
        <translation>Submissions awaiting review in your area</translation>
    </message>
    <message>
        <source>待审核提交</source>
        <translation>Awaiting review</translation>
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
        <source>检查结果</source>
        <translation>Check</translation>
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
        <source>名称</source>
        <translation>Name</translation>
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
        <translation>Kind</translation>
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
        <source>取消</source>
        <translation>Cancel</translation>
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
        <source>请填写姓名</source>
        <translation>Enter the name</translation>
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
        <source>最近同步</source>
        <translation>Last sync</translation>
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
        <source>区域</source>
        <extracomment>Level -&gt; Chinese name (translated when shown), top to bottom. Filters this node means for the lists (e.g. ``{&quot;area&quot;: &quot;330102001&quot;}``, or grid + estate + building).</extracomment>
        <translation>Area</translation>
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
        <translation>Rev</translation>
    </message>
    <message>
        <source>时间</source>
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
        <source>上一页</source>
        <translation>Previous page</translation>
    </message>
    <message>
        <source>下一页</source>
        <translation>Next page</translation>
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
</context>
</TS>
